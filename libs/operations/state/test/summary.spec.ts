import { testStateDocument as liveState } from '@bluegreen/testing-aws';
import { formatStateText, moduleOf, readRemoteState, stateLocation, stateShow, summarizeState, type StateObjectPort } from '../src';

describe('state summary (pure)', () => {
  it('groups by top-level construct and colour, reads live weights and database versions; never prints secrets', () => {
    const summary = summarizeState(liveState(3));
    expect(Object.keys(summary.modules)).toEqual(['compute', 'database', 'database-green', 'network']);
    expect(summary.modules['database-green'].every((r) => r.colour === 'green')).toBe(true);
    expect(summary.weights).toEqual([{ address: 'aws_lb_listener.compute_https-listener_66666666', port: 443, targets: [{ label: 'blue', targetGroup: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/tg-blue-dev/0123456789abcdef', weight: 90 }, { label: 'green', targetGroup: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/tg-green-dev/0123456789abcdef', weight: 10 }] }]);
    expect(summary.databases.map((d) => [d.colour, d.identifier, d.engineVersion, d.instances])).toEqual([
      ['blue', 'aurora-blue-dev', '15.10', 1],
      ['green', 'aurora-green-dev', '16.6', 1],
    ]);
    const text = formatStateText(summary, 's3://b/k');
    expect(text).toContain('blue 90, green 10');
    expect(text).toContain('aurora-green-dev  aurora-postgresql 16.6  1 instance(s)');
    expect(text + JSON.stringify(summary)).not.toContain('never-printed');
  });

  it('refuses what is not a v4 state', () => {
    expect(() => summarizeState('{"version":3,"resources":[]}')).toThrow(/must be a Terraform v4 state/);
    expect(() => summarizeState('nope')).toThrow(/not JSON/);
    expect(moduleOf('top')).toBe('(stack)');
  });
});


describe('stateShow (the workflow over a state port)', () => {
  const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'state-lib-'));
  const file = require('node:path').join(dir, 'environment.yaml');
  require('node:fs').writeFileSync(file, require('node:fs').readFileSync(require('node:path').join(__dirname, '../../../../apps/dev/environment.yaml'), 'utf8'));
  afterAll(() => require('node:fs').rmSync(dir, { recursive: true, force: true }));

  it('reads the object named by the config (bucket, default key) and says where it came from', async () => {
    const asked: string[] = [];
    const port: StateObjectPort = { readState: async (loc) => (asked.push(`${loc.bucket}/${loc.key}`), { text: liveState(7), lastModified: new Date('2026-11-22T03:00:00Z') }) };
    const r = await stateShow({ env: 'dev', file }, { state: port });
    expect(asked).toEqual(['bluegreen-tfstate-111111111111/dev/terraform.tfstate']);
    expect(r.source).toBe('s3://bluegreen-tfstate-111111111111/dev/terraform.tfstate (remote state, serial 7, written 2026-11-22T03:00:00.000Z)');
    expect(r.summary.resourceCount).toBe(8);
  });

  it('refuses an empty state (wrong bucket/key) and a state that is not JSON', async () => {
    await expect(stateShow({ env: 'dev', file }, { state: { readState: async () => ({ text: '{"version":4,"resources":[]}' }) } })).rejects.toThrow(/no resources in s3:\/\/bluegreen-tfstate-111111111111\/dev\/terraform.tfstate/);
    await expect(readRemoteState(stateLocation({ state: { bucket: 'b' }, environment: 'dev', region: 'us-east-1' }), { readState: async () => ({ text: 'nope' }) })).rejects.toThrow(/not a JSON Terraform state/);
    await expect(stateShow({ env: 'prod', file }, { state: { readState: async () => ({ text: liveState(1) }) } })).rejects.toThrow(/describes environment 'dev', not 'prod'/);
  });
});
