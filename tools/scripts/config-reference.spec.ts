import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfigYaml, validateEnvironmentConfig } from '@bluegreen/config';
import { parse } from 'yaml';
import { configReferenceMarkdown, configReferenceRows } from './config-reference';

const root = join(__dirname, '..', '..');

describe('config reference (npm run docs:config)', () => {
  const rows = configReferenceRows();
  const row = (path: string) => rows.find((r) => r.path === path);

  it('lists settings with their defaults read from the validator', () => {
    expect(row('network.natGateways')).toEqual({ path: 'network.natGateways', type: '`one-per-az` \\| `single`', required: false, default: 'one-per-az' });
    expect(row('database.backupRetentionDays')).toMatchObject({ required: false, default: 7 });
    expect(row('database.deletionProtection')).toMatchObject({ required: true, default: undefined, type: 'boolean' });
    expect(row('environmentSuffix')).toMatchObject({ required: true });
  });

  it('renders a markdown table row per setting, with the meaning from the schema comments', () => {
    const md = configReferenceMarkdown();
    expect(md).toMatch(/^\| `network\.isolatedSubnetCidrs` \| list of string \| yes \| {2}\| One isolated \(database\) subnet per availability zone: no route out of the VPC\. \|$/m);
    expect(md.split('\n').filter((l) => l.startsWith('| `')).length).toBe(rows.length);
  });

  it('documents each service by name, its settings documented where they are defined', () => {
    expect(row('services')).toMatchObject({ type: 'map of name to object', required: true });
    expect(row('services.<name>.routing.priority')).toMatchObject({ required: false });
    expect(row('services.<name>.traffic.stages')).toMatchObject({ default: [5, 10, 25, 50, 75, 100] });
    const md = configReferenceMarkdown();
    expect(md).toMatch(/^\| `services\.<name>\.blue\.image` \| string \| yes \| {2}\| The container image, with an explicit tag\. \|$/m);
    expect(md).toMatch(/^\| `services\.<name>\.databaseSchema` \| string \| yes \| {2}\| The PostgreSQL schema this service owns/m);
  });

  it("the services example in the reference is a valid services section (in dev's config)", () => {
    const md = configReferenceMarkdown();
    const yaml = /```yaml\n([\s\S]*?)```/.exec(md)?.[1];
    expect(yaml).toContain('services:');
    const dev = parseConfigYaml(readFileSync(join(root, 'apps', 'dev', 'environment.yaml'), 'utf8')).value as Record<string, unknown>;
    const config = validateEnvironmentConfig({ ...dev, ...(parse(yaml as string) as object) }, 'the example');
    expect(Object.keys(config.services)).toEqual(['monolith', 'catalog']);
  });

  it('is committed as generated (docs/config-reference.md)', () => {
    expect(readFileSync(join(root, 'docs', 'config-reference.md'), 'utf8')).toBe(configReferenceMarkdown());
  });
});
