import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMarkdown } from './markdown';
import { parsePlanJson, PlanInputError, type TerraformPlanJson } from './plan';
import { DEFAULT_FAIL_ON, parseFailOn, reviewPlan } from './review';

// Plans produced offline by the real terraform CLI + AWS provider 5.100.0 (see test/generate.ts, test/offline-state.ts).
const fixture = (name: string): TerraformPlanJson =>
  parsePlanJson(readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', `${name}.json`), 'utf8'), name);

describe('reviewPlan on terraform-produced plans', () => {
  it('(a) an added resource: one create, nothing blocking', () => {
    const review = reviewPlan(fixture('added'));
    expect(review.counts).toMatchObject({ create: 1, update: 0, replace: 0, delete: 0 });
    expect(review.byType).toEqual([{ type: 'aws_cloudwatch_metric_alarm', create: 1, update: 0, replace: 0, delete: 0 }]);
    expect(review.blocking).toEqual([]);
    expect(review.redFlags).toEqual([]);
  });

  it('(b) a weight-only change: the listener alone, described in plain words, short and clean', () => {
    const review = reviewPlan(fixture('weight'), parseFailOn('replace-stateful,destroy'));
    expect(review.counts).toMatchObject({ create: 0, update: 1, replace: 0, delete: 0 });
    expect(review.changes.map((c) => c.address)).toEqual(['aws_lb_listener.https']);
    expect(review.traffic).toEqual([
      expect.objectContaining({ address: 'aws_lb_listener.https', description: 'blue 100 → 90, green 0 → 10' }),
    ]);
    expect(review.blocking).toEqual([]);
    const md = renderMarkdown(review, { title: 'Plan: fx' });
    expect(md).toContain('**0 to create, 1 to update, 0 to replace, 0 to destroy**');
    expect(md).toContain('`aws_lb_listener.https`: **blue 100 → 90, green 0 → 10**');
    expect(md).not.toMatch(/Red flags|Blocking|IAM changes/);
    expect(md.split('\n').length).toBeLessThan(25);
  });

  it('(c) a forced replacement of the Aurora cluster is a blocking red flag with its replace path', () => {
    const review = reviewPlan(fixture('replace-db'), parseFailOn('replace-stateful'));
    expect(review.redFlags.map((r) => [r.address, r.kind, r.replacePaths])).toEqual([
      ['aws_rds_cluster.cluster', 'replace', ['cluster_identifier']],
      ['aws_rds_cluster_instance.writer', 'replace', ['cluster_identifier']],
    ]);
    expect(review.blocking.map((b) => [b.category, b.address])).toEqual([
      ['replace-stateful', 'aws_rds_cluster.cluster'],
      ['replace-stateful', 'aws_rds_cluster_instance.writer'],
    ]);
    const md = renderMarkdown(review);
    expect(md).toContain('[!CAUTION]');
    expect(md).toContain('| `aws_rds_cluster.cluster` | **replace** | forced by `cluster_identifier`; `replace_because_cannot_update` |');
  });

  it('the same replacement does not block under --fail-on none, but is still a red flag', () => {
    const review = reviewPlan(fixture('replace-db'), parseFailOn('none'));
    expect(review.blocking).toEqual([]);
    expect(review.redFlags).toHaveLength(2);
  });
});

const change = (address: string, actions: string[], before: unknown, after: unknown, extra: Record<string, unknown> = {}) => ({
  address,
  mode: 'managed',
  type: address.split('.')[0],
  name: address.split('.')[1],
  change: { actions, before, after, ...extra },
});

describe('reviewPlan on hand-written plans (edge cases)', () => {
  const plan = (changes: unknown[]): TerraformPlanJson => parsePlanJson(JSON.stringify({ format_version: '1.2', resource_changes: changes }));

  it('destroying a KMS key and a log group is blocking by default; any destroy under --fail-on destroy', () => {
    const p = plan([
      change('aws_kms_key.key', ['delete'], {}, null, {}),
      change('aws_cloudwatch_log_group.logs', ['delete'], {}, null),
      change('aws_security_group.sg', ['delete'], {}, null),
    ]);
    expect(reviewPlan(p).blocking.map((b) => b.address)).toEqual(['aws_kms_key.key', 'aws_cloudwatch_log_group.logs']);
    expect(DEFAULT_FAIL_ON).toEqual(['replace-stateful', 'destroy-stateful']);
    expect(reviewPlan(p, parseFailOn('destroy')).blocking.map((b) => b.address)).toEqual(['aws_kms_key.key', 'aws_cloudwatch_log_group.logs', 'aws_security_group.sg']);
  });

  it('reports IAM policy changes with the actions added and removed', () => {
    const before = { policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:x' }] }) };
    const after = { policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:x' }] }) };
    const review = reviewPlan(plan([change('aws_iam_role_policy.task', ['update'], before, after)]), parseFailOn('iam'));
    expect(review.iam).toEqual([{ address: 'aws_iam_role_policy.task', type: 'aws_iam_role_policy', kind: 'update', actionsAdded: ['s3:PutObject'], actionsRemoved: [] }]);
    expect(review.blocking.map((b) => b.category)).toEqual(['iam']);
    expect(renderMarkdown(review)).toContain('adds `s3:PutObject`');
  });

  it('names target groups by colour from their ARNs and a new target group from the plan', () => {
    const tg = (name: string) => `arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/${name}/abc`;
    const listener = (w: [number, number]) => ({
      default_action: [{ type: 'forward', forward: [{ target_group: [{ arn: tg('tg-blue-dev'), weight: w[0] }, { arn: tg('tg-green-dev'), weight: w[1] }] }] }],
    });
    const review = reviewPlan(plan([change('aws_lb_listener.https', ['update'], listener([50, 50]), listener([0, 100]))]), parseFailOn('traffic'));
    expect(review.traffic[0].description).toBe('blue 50 → 0, green 50 → 100');
    expect(review.blocking.map((b) => b.category)).toEqual(['traffic']);
  });

  it('a listener created with its target groups: weights are named from the configuration', () => {
    const plan: TerraformPlanJson = parsePlanJson(
      JSON.stringify({
        format_version: '1.2',
        resource_changes: [
          change('aws_lb_listener.https', ['create'], null, { default_action: [{ type: 'forward', forward: [{ target_group: [{ weight: 0 }, { weight: 100 }] }] }] }, {
            after_unknown: { default_action: [{ forward: [{ target_group: [{ arn: true }, { arn: true }] }] }] },
          }),
        ],
        configuration: {
          root_module: {
            resources: [
              {
                address: 'aws_lb_listener.https',
                expressions: {
                  default_action: [
                    {
                      forward: [
                        {
                          target_group: [
                            { arn: { references: ['aws_lb_target_group.compute_target-group-blue_F432CF20.arn'] }, weight: { constant_value: 100 } },
                            { arn: { references: ['aws_lb_target_group.compute_target-group-green_C23E3CE2.arn'] }, weight: { constant_value: 0 } },
                          ],
                        },
                      ],
                    },
                  ],
                },
              },
            ],
          },
        },
      }),
    );
    expect(reviewPlan(plan).traffic.map((t) => t.description)).toEqual(['blue (none) → 100, green (none) → 0']);
  });

  it('no changes at all renders one line', () => {
    const md = renderMarkdown(reviewPlan(plan([change('aws_s3_bucket.b', ['no-op'], {}, {})])));
    expect(md).toContain('**No changes.** 1 resource(s) unchanged.');
  });
});

describe('input errors name the field', () => {
  it.each([
    ['not json', /not JSON/],
    ['[]', /expected a JSON object .* got an array/],
    ['{}', /format_version: must be a string/],
    ['{"format_version":"2.0","resource_changes":[]}', /format_version: must be 1.x, got "2.0"/],
    ['{"format_version":"1.0","values":{}}', /resource_changes: missing \(this looks like state/],
    ['{"format_version":"1.2","resource_changes":[{"address":"x"}]}', /resource_changes\[0\]: must have address, type and change.actions/],
  ])('%s', (text, message) => {
    expect(() => parsePlanJson(text, 'plan.json')).toThrow(PlanInputError);
    expect(() => parsePlanJson(text, 'plan.json')).toThrow(message);
  });

  it('--fail-on refuses unknown categories by name', () => {
    expect(() => parseFailOn('replace-stateful,nuke')).toThrow(/--fail-on: must be a comma-separated list of .* got "nuke"/);
    expect(parseFailOn('none')).toEqual([]);
    expect(parseFailOn(undefined)).toEqual(DEFAULT_FAIL_ON);
  });
});
