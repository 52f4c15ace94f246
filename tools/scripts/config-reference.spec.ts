import { configReferenceMarkdown, configReferenceRows } from './config-reference';

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
});
