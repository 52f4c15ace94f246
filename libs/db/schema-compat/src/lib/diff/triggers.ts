/** Triggers: what they add to, or take away from, the old application's statements. */
import type { Relation, SchemaSnapshot, Trigger } from '../model';
import { keys, norm, type Changes } from './changes';
import { defineRules } from './rule';

export const TRIGGER_RULES = defineRules([
  {
    kinds: ['trigger.added'],
    family: 'write semantics',
    change: 'trigger added',
    verdicts: {
      incompatible: 'a BEFORE ROW trigger whose function never returns NEW or OLD: the old application\'s INSERT/UPDATE/DELETE is silently skipped',
      warning: 'it may reject or alter the old application\'s writes, or add side effects',
    },
    hint: 'make the trigger keep what the old version\'s statements did (return NEW), or add it after the old version is gone',
  },
  {
    kinds: ['trigger.dropped', 'trigger.changed'],
    family: 'write semantics',
    change: 'trigger dropped, changed, disabled or enabled',
    verdicts: { warning: 'side effects or checks the old application\'s writes relied on change' },
    hint: 'keep the trigger until the old version is gone; add the new one beside it',
  },
  {
    kinds: ['trigger.reorganised'],
    family: 'write semantics',
    change: 'triggers renamed or regrouped',
    verdicts: { compatible: 'the same functions still fire on the same events' },
  },
]);

/** What a trigger does, per event, without its name: two trigger sets with equal behaviours are equivalent. */
function triggerBehaviours(t: Trigger): string[] {
  const m = /^CREATE (CONSTRAINT )?TRIGGER (?:"(?:[^"]|"")+"|\S+) (BEFORE|AFTER|INSTEAD OF) (.+?) ON (.*)$/s.exec(t.definition);
  if (!m) return [`${t.enabled}|${t.definition}`];
  return m[3].split(' OR ').map((event) => `${m[1] ?? ''}${m[2]} ${event} ON ${norm(m[4])}|${t.enabled}`);
}

/**
 * A BEFORE ROW trigger whose PL/pgSQL function only ever returns NULL skips the row: the statement reports success
 * and changes nothing. (Bodies that return NEW or OLD anywhere, or other languages, are not judged this way.)
 */
function suppressesRows(green: SchemaSnapshot, t: Trigger): boolean {
  if (t.timing !== 'BEFORE' || t.level !== 'ROW' || t.enabled === 'D') return false;
  const f = green.functions[`${t.function}()`];
  if (!f || f.language !== 'plpgsql' || !f.body) return false;
  const body = f.body.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
  const returns = [...body.matchAll(/\bRETURN\s+([^;]*);/gi)].map((m) => m[1].trim().toUpperCase());
  return returns.length > 0 && returns.every((r) => r === 'NULL');
}

export function diffTriggers(green: SchemaSnapshot, b: Relation, g: Relation, out: Changes): void {
  const key = b.qualifiedName;
  const k = keys(b.triggers, g.triggers);
  const changed = k.both.filter((n) => norm(b.triggers[n].definition) !== norm(g.triggers[n].definition) || b.triggers[n].enabled !== g.triggers[n].enabled);
  if (k.onlyBlue.length === 0 && k.onlyGreen.length === 0 && changed.length === 0) return;
  const set = (r: Relation) => new Set(Object.values(r.triggers).flatMap(triggerBehaviours));
  const bs = set(b);
  const gs = set(g);
  if (bs.size === gs.size && [...bs].every((x) => gs.has(x))) {
    out.add('trigger.reorganised', key, 'compatible', `triggers of ${key} were renamed or regrouped (${[...k.onlyBlue.map((n) => `-${n}`), ...k.onlyGreen.map((n) => `+${n}`), ...changed.map((n) => `~${n}`)].join(' ')}), but the same functions still fire on the same events`);
    return;
  }
  for (const name of k.onlyBlue) out.add('trigger.dropped', `${key}.${name}`, 'warning', `trigger ${name} on ${key} was dropped: its side effects or checks (${b.triggers[name].function}) no longer happen for the old application's writes`);
  for (const name of k.onlyGreen) {
    const t = g.triggers[name];
    if (suppressesRows(green, t)) {
      out.add('trigger.added', `${key}.${name}`, 'incompatible', `new trigger ${name} on ${key} runs ${t.function} BEFORE ${t.events.join('/')} FOR EACH ROW, which only returns NULL: the old application's ${t.events.join('/')} statements report success and change nothing`);
    } else {
      out.add('trigger.added', `${key}.${name}`, 'warning', `new trigger ${name} on ${key} runs ${t.function} ${t.timing} ${t.events.join('/')}: it may reject or alter the old application's writes`);
    }
  }
  for (const name of changed) {
    const x = b.triggers[name];
    const y = g.triggers[name];
    const detail = x.enabled !== y.enabled && norm(x.definition) === norm(y.definition) ? `trigger ${name} on ${key} is now ${y.enabled === 'D' ? 'disabled' : `enabled (${y.enabled})`}` : `trigger ${name} on ${key} changed from "${x.definition}" to "${y.definition}"`;
    out.add('trigger.changed', `${key}.${name}`, 'warning', detail);
  }
}
