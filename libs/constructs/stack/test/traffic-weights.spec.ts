// Terraform owns the weights (docs/traffic.md): the real prod config with weights 100/0 and 90/10 synthesizes
// to two documents that differ ONLY in the HTTPS listener's default action: network, databases, services,
// alarms, outputs are untouched, so a traffic shift plans as one in-place listener update.
import { join } from 'node:path';
import { loadEnvironmentConfig, type EnvironmentConfig } from '@bluegreen/config';
import { Testing } from 'cdktf';
import { BlueGreenStack } from '../src';

function deepDiff(a: unknown, b: unknown, path: string[] = []): string[] {
  if (a === b) return [];
  const bothObjects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object';
  if (!bothObjects || Array.isArray(a) !== Array.isArray(b)) return [path.join('.')];
  if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) return [path.join('.')];
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  return [...keys].flatMap((k) => deepDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...path, k]));
}

const prod = loadEnvironmentConfig(join(__dirname, '..', '..', '..', '..', 'apps', 'prod', 'environment.yaml'));
const synth = (config: EnvironmentConfig) => JSON.parse(Testing.synth(new BlueGreenStack(Testing.app(), 'prod', { config })));

describe('BlueGreenStack: a traffic shift', () => {
  it('100/0 → 90/10 changes only the weights of the HTTPS listener default action', () => {
    const m = prod.services.monolith;
    expect(m.traffic).toMatchObject({ live: 'blue', blue: 100, green: 0 });
    const before = synth(prod);
    const after = synth({ ...prod, services: { monolith: { ...m, traffic: { ...m.traffic, blue: 90, green: 10 } } } });
    const listeners = Object.keys(before.resource.aws_lb_listener as object);
    const https = listeners.find((n) => n.includes('https-listener'));
    expect(https).toBeDefined();
    expect(deepDiff(before, after)).toEqual([
      `resource.aws_lb_listener.${https}.default_action.0.forward.target_group.0.weight`,
      `resource.aws_lb_listener.${https}.default_action.0.forward.target_group.1.weight`,
    ]);
  });
});
