/**
 * The compute and monitoring resources of the shipped environments as they were before environments could hold
 * several services: their Terraform addresses and synthesized bodies. The stack test proves that a single-service
 * environment still synthesizes each of them at the same address with the same body, so `terraform plan` after the
 * change can only create new resources beside them (it cannot replace an ECS service, target group, listener or
 * alarm that is already deployed).
 *
 * Regenerate only for a deliberate change of these resources (the diff of the fixture is then part of the review):
 *   npx tsx --tsconfig libs/constructs/stack/tsconfig.json libs/constructs/stack/test/single-service-baseline.ts
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnvironmentConfig } from '@bluegreen/config';
import { Testing } from 'cdktf';
import { BlueGreenStack } from '../src';

export const BASELINE_FILE = join(__dirname, 'fixtures', 'single-service-baseline.json');
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

/** Which resources the baseline holds: everything under `compute` and `monitoring`, and the database's admissions of the tasks. */
export const inScope = (address: string): boolean => /^[a-z0-9_]+\.(compute_|monitoring_|database(-green)?_ingress-ecs-)/.test(address);

/** Resources whose body may change (kept by address and name only): the dashboard gains a row per service. */
export const BODY_MAY_CHANGE: Readonly<Record<string, string>> = { aws_cloudwatch_dashboard: 'dashboard_name' };

export interface BaselineEntry {
  /** sha256 of the body's canonical JSON (keys sorted), or the name for a BODY_MAY_CHANGE type. */
  readonly body: string;
  /** The resource's name-like attribute, for a readable fixture and error message. */
  readonly name?: string;
}
export type Baseline = Record<(typeof ENVIRONMENTS)[number], Record<string, BaselineEntry>>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const NAME_KEYS = ['name', 'alarm_name', 'family', 'dashboard_name', 'description'];

/** The in-scope resources of a synthesized stack, as baseline entries by address. */
export function baselineEntries(json: Json): Record<string, BaselineEntry> {
  const out: Record<string, BaselineEntry> = {};
  for (const [type, byId] of Object.entries<Record<string, Json>>(json.resource ?? {})) {
    for (const [id, body] of Object.entries(byId)) {
      const address = `${type}.${id}`;
      if (!inScope(address)) continue;
      const nameKey = NAME_KEYS.find((k) => typeof body[k] === 'string');
      const name = nameKey ? String(body[nameKey]) : undefined;
      const bodyKey = BODY_MAY_CHANGE[type];
      out[address] = { body: bodyKey ? `${bodyKey}=${body[bodyKey]}` : createHash('sha256').update(canonical(body)).digest('hex'), ...(name ? { name } : {}) };
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

const appsDir = join(__dirname, '..', '..', '..', '..', 'apps');

/** Synthesizes a shipped environment with the stack as it is now. */
export function synthEnvironment(env: string): Json {
  const config = loadEnvironmentConfig(join(appsDir, env, 'environment.yaml'));
  return JSON.parse(Testing.synth(new BlueGreenStack(Testing.app(), config.environment, { config })));
}

export function readBaseline(): Baseline {
  return JSON.parse(readFileSync(BASELINE_FILE, 'utf8')) as Baseline;
}

if (require.main === module) {
  const baseline = Object.fromEntries(ENVIRONMENTS.map((env) => [env, baselineEntries(synthEnvironment(env))]));
  writeFileSync(BASELINE_FILE, `${JSON.stringify(baseline, null, 2)}\n`);
  console.log(`wrote ${BASELINE_FILE}: ${ENVIRONMENTS.map((e) => `${e} ${Object.keys(baseline[e]).length}`).join(', ')} resources`);
}
