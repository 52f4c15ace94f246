import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigValidationError, validateEnvironmentConfig, type Colour, type EnvironmentConfig } from '@bluegreen/config';
import { isMap, isScalar, parseDocument } from 'yaml';
import { otherColour, type Weights } from './stages';

/** One change to the config file: set a value, or delete the key when `value` is undefined. */
export interface ConfigEdit {
  readonly path: readonly string[];
  readonly value: string | number | undefined;
}

export interface AppliedEdit {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
}

export interface EditResult {
  /** The new file text (comments and layout of untouched lines preserved). */
  readonly text: string;
  /** The re-validated config the new text describes. */
  readonly config: EnvironmentConfig;
  /** What changed, field by field (edits that set the same value are left out). */
  readonly changes: readonly AppliedEdit[];
}

/**
 * Applies edits to an environment config's YAML text through the `yaml` Document API, so comments, key order and
 * quoting of everything else stay as reviewed. Re-validates the result with @bluegreen/config and throws
 * ConfigValidationError (listing every problem by field) rather than return an invalid config.
 */
export function applyConfigEdits(text: string, edits: readonly ConfigEdit[], source = 'environment config'): EditResult {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new ConfigValidationError(source, doc.errors.map((e) => ({ field: '(yaml)', message: e.message })));
  const changes: AppliedEdit[] = [];
  for (const edit of edits) {
    const parent = edit.path.length > 1 ? doc.getIn(edit.path.slice(0, -1), true) : doc.contents;
    if (parent !== undefined && !isMap(parent)) throw new ConfigValidationError(source, [{ field: edit.path.slice(0, -1).join('.'), message: 'must be a mapping in the config file to edit it' }]);
    const before = doc.getIn(edit.path);
    const from = isScalar(before) ? before.value : before;
    if (from === edit.value) continue;
    if (edit.value === undefined) doc.deleteIn(edit.path);
    else doc.setIn(edit.path, edit.value);
    changes.push({ field: edit.path.join('.'), from, to: edit.value });
  }
  if (changes.length === 0) return { text, config: validateEnvironmentConfig(doc.toJS(), source), changes };
  // flowCollectionPadding false keeps `[a, b]` flow sequences exactly as written.
  const next = doc.toString({ flowCollectionPadding: false });
  const config = validateEnvironmentConfig(parseDocument(next).toJS(), source);
  return { text: next, config, changes };
}

/** Writes a file atomically: a temp file in the same directory, then rename over the original (same mode). */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let mode = 0o644;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    // new file: default mode
  }
  try {
    writeFileSync(tmp, text, { mode, flag: 'wx' });
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Reads, edits, re-validates and atomically writes an environment config file. Nothing is written on error. */
export function editConfigFile(file: string, edits: readonly ConfigEdit[], options: { dryRun?: boolean } = {}): EditResult {
  const result = applyConfigEdits(readFileSync(file, 'utf8'), edits, file);
  if (!options.dryRun && result.changes.length > 0) writeFileAtomic(file, result.text);
  return result;
}

/** The edits that set the listener weights (`traffic.blue`, `traffic.green`). */
export function weightEdits(weights: Weights): ConfigEdit[] {
  return [
    { path: ['traffic', 'blue'], value: weights.blue },
    { path: ['traffic', 'green'], value: weights.green },
  ];
}

/** Thrown when a promote/finalize is not allowed now; the message says why and what to do. */
export class TrafficRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrafficRuleError';
  }
}

const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * `traffic promote`: the candidate colour, at 100 %, becomes live; the promotion time starts the rollback window
 * (`traffic.promotedAt`). The old colour keeps its tasks until `promote --finalize`.
 */
export function promoteEdits(config: EnvironmentConfig, now: Date): { edits: ConfigEdit[]; from: Colour; to: Colour } {
  const from = config.traffic.live;
  const to = otherColour(from);
  if (config.traffic[to] !== 100) {
    throw new TrafficRuleError(`cannot promote ${to}: it receives ${config.traffic[to]} %, promotion needs 100 % (bluegreen traffic shift --to ${to} --percent 100 first)`);
  }
  return {
    from,
    to,
    edits: [
      { path: ['traffic', 'live'], value: to },
      { path: ['traffic', 'promotedAt'], value: isoSeconds(now) },
    ],
  };
}

/** When the rollback window of the last promotion ends, or undefined when no promotion is pending. */
export function rollbackWindowEnd(config: EnvironmentConfig): Date | undefined {
  if (!config.traffic.promotedAt) return undefined;
  return new Date(Date.parse(config.traffic.promotedAt) + config.traffic.rollbackWindowMinutes * 60_000);
}

/**
 * `traffic promote --finalize`: once promotedAt + rollbackWindowMinutes has passed, the old colour scales to zero
 * (desiredCount 0, and minCount/maxCount 0 where they are set, since a parked colour cannot autoscale) and
 * promotedAt is cleared. Refuses inside the window unless `force`.
 */
export function finalizeEdits(config: EnvironmentConfig, now: Date, force = false): { edits: ConfigEdit[]; old: Colour } {
  const end = rollbackWindowEnd(config);
  if (!end) throw new TrafficRuleError('nothing to finalize: traffic.promotedAt is not set (run bluegreen traffic promote first)');
  const old = otherColour(config.traffic.live);
  if (config.traffic[old] > 0) throw new TrafficRuleError(`cannot scale ${old} to zero: it still receives ${config.traffic[old]} %`);
  if (now.getTime() < end.getTime() && !force) {
    const minutes = Math.ceil((end.getTime() - now.getTime()) / 60_000);
    throw new TrafficRuleError(`the rollback window is still open until ${isoSeconds(end)} (${minutes} min left); ${old} keeps its tasks until then (or pass --force)`);
  }
  const edits: ConfigEdit[] = [{ path: ['compute', old, 'desiredCount'], value: 0 }];
  if ((config.compute[old].minCount ?? 0) > 0) edits.push({ path: ['compute', old, 'minCount'], value: 0 });
  if ((config.compute[old].maxCount ?? 0) > 0) edits.push({ path: ['compute', old, 'maxCount'], value: 0 });
  edits.push({ path: ['traffic', 'promotedAt'], value: undefined });
  return { edits, old };
}

/** The edits that set the Route 53 weights (`dns.weights.legacy`, `dns.weights.aws`). */
export function dnsWeightEdits(weights: { readonly legacy: number; readonly aws: number }): ConfigEdit[] {
  return [
    { path: ['dns', 'weights', 'legacy'], value: weights.legacy },
    { path: ['dns', 'weights', 'aws'], value: weights.aws },
  ];
}
