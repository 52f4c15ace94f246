// A plan that cannot be trusted is never reviewed as "No changes", and nothing from a plan can restructure the
// pull-request comment (for_each keys, tag values and IAM statements are attacker-controlled in a fork's PR).
import { mdCode, mdText, renderMarkdown } from './markdown';
import { parsePlanJson, PlanInputError } from './plan';
import { parseFailOn, reviewPlan } from './review';

const base = { format_version: '1.2', terraform_version: '1.9.8' };

describe('a plan that cannot be reviewed is exit-2 input, never "No changes"', () => {
  it.each([
    ['errored', { ...base, errored: true, resource_changes: [] }, /errored: true: could not review: terraform plan failed part-way/],
    ['errored without resource_changes', { ...base, errored: true, planned_values: { root_module: {} } }, /errored: true: could not review/],
    ['deferred changes (complete: false)', { ...base, complete: false, resource_changes: [] }, /complete: false: could not review/],
    ['applyable with nothing listed', { ...base, applyable: true, planned_values: { root_module: {} } }, /resource_changes: could not review: the plan is applyable .* lists no resource or output change/],
    [
      'a planned resource with no entry (truncated resource_changes)',
      { ...base, planned_values: { root_module: { resources: [{ address: 'aws_rds_cluster.db', mode: 'managed', type: 'aws_rds_cluster', name: 'db' }] } } },
      /resource_changes: could not review: 1 resource\(s\) planned or in state have no entry \("aws_rds_cluster\.db"\)/,
    ],
    [
      'a resource in state that vanished from the plan without an entry',
      { ...base, resource_changes: [], prior_state: { values: { root_module: { child_modules: [{ resources: [{ address: 'module.m.aws_s3_bucket.b', mode: 'managed' }] }] } } } },
      /have no entry \("module\.m\.aws_s3_bucket\.b"\)/,
    ],
    ['format 2.0', { ...base, format_version: '2.0', resource_changes: [] }, /format_version: must be 1\.x, got "2\.0": could not review/],
    ['format "1"', { ...base, format_version: '1', resource_changes: [] }, /format_version: must be 1\.x/],
  ])('%s', (_name, plan, expected) => {
    expect(() => parsePlanJson(JSON.stringify(plan), 'plan.json')).toThrow(PlanInputError);
    expect(() => parsePlanJson(JSON.stringify(plan), 'plan.json')).toThrow(expected);
  });

  it('a plan with no changes that says so is still "No changes"', () => {
    const plan = parsePlanJson(JSON.stringify({ ...base, applyable: false, complete: true, planned_values: { root_module: {} } }));
    expect(renderMarkdown(reviewPlan(plan))).toContain('**No changes.**');
  });
});

const HOSTILE = [
  'x|y',
  'a\n## Approved\nb',
  '<img src=x onerror=alert(1)>',
  '[click](https://evil.example)',
  '![i](https://evil.example/i.png)',
  '``` fence',
  '`',
  '**bold** _em_ ~~s~~',
  '@octocat #1',
  '\r\n> quote\r\n| a | b |\n|---|---|',
  '</details><details open>',
  '&lt;script&gt; &amp;',
  'tail `',
];

function hostilePlan() {
  const tg = (name: string) => `arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/${name}/abc`;
  const listener = (w: [number, number], names: [string, string]) => ({
    default_action: [{ type: 'forward', forward: [{ target_group: [{ arn: tg(names[0]), weight: w[0] }, { arn: tg(names[1]), weight: w[1] }] }] }],
  });
  const resource_changes = [
    ...HOSTILE.map((key) => ({
      address: `aws_rds_cluster.db[${JSON.stringify(key)}]`,
      mode: 'managed',
      type: 'aws_rds_cluster',
      name: 'db',
      index: key,
      action_reason: `replace_because_${key}`,
      change: { actions: ['delete', 'create'], before: { tags: { Name: key } }, after: { tags: { Name: `${key}2` } }, replace_paths: [['tags', key]] },
    })),
    {
      address: 'aws_iam_role_policy.p["|\\n## Approved"]',
      mode: 'managed',
      type: 'aws_iam_role_policy',
      name: 'p',
      change: {
        actions: ['update'],
        before: { policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }] }) },
        after: { policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', ...HOSTILE], Resource: '*' }] }) },
      },
    },
    {
      address: 'aws_lb_listener.https',
      mode: 'managed',
      type: 'aws_lb_listener',
      name: 'https',
      change: { actions: ['update'], before: listener([100, 0], ['tg-a|\n## Approved', 'tg-<img src=x>']), after: listener([90, 10], ['tg-a|\n## Approved', 'tg-<img src=x>']) },
    },
  ];
  return { ...base, resource_changes, output_changes: Object.fromEntries(HOSTILE.map((k) => [k, { actions: ['update'] }])) };
}

/** The text outside inline code spans (CommonMark: a span closes at the next backtick run of the same length). */
function outsideCode(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] !== '`') {
      out += line[i++];
      continue;
    }
    let n = 0;
    while (line[i + n] === '`') n++;
    let j = i + n;
    let close = -1;
    while (j < line.length) {
      if (line[j] !== '`') {
        j++;
        continue;
      }
      let m = 0;
      while (line[j + m] === '`') m++;
      if (m === n) {
        close = j;
        break;
      }
      j += m;
    }
    if (close < 0) {
      out += line.slice(i, i + n);
      i += n;
    } else i = close + n;
  }
  return out;
}

/** Cells of a markdown table row, splitting on pipes that are not backslash-escaped (as GitHub does). */
const cells = (row: string) => row.replace(/\\\|/g, '').split('|').length - 2;

describe('every plan-derived string is escaped for markdown', () => {
  const review = reviewPlan(parsePlanJson(JSON.stringify(hostilePlan())), parseFailOn('replace-stateful,iam,traffic'));
  const md = renderMarkdown(review, { title: 'Plan: prod\n## Approved' });
  const lines = md.split('\n');

  it('the comment keeps its structure: only its own headings, one table row per resource, every row the right width', () => {
    expect(lines.filter((l) => /^\s{0,3}#/.test(l))).toEqual([
      '### Plan: prod\\\\n\\#\\# Approved',
      '#### Traffic',
      '#### Red flags: stateful resources replaced or destroyed',
      '#### IAM changes',
    ]);
    const red = lines.slice(lines.indexOf('#### Red flags: stateful resources replaced or destroyed') + 1);
    const redRows = red.slice(0, red.indexOf(''));
    expect(redRows).toHaveLength(2 + HOSTILE.length);
    for (const row of redRows) expect([row, cells(row)]).toEqual([row, 3]);
    const all = lines.slice(lines.indexOf('| | resource |'));
    const resourceRows = all.slice(0, all.indexOf(''));
    expect(resourceRows).toHaveLength(2 + HOSTILE.length + 2);
    for (const row of resourceRows) expect([row, cells(row)]).toEqual([row, 2]);
    // Each blocking finding is one quoted line; nothing else starts with '>' except the callout.
    expect(lines.filter((l) => l.startsWith('>'))).toHaveLength(2 + review.blocking.length);
    expect(lines.filter((l) => l.startsWith('<'))).toEqual(['<details><summary>Changes by resource type</summary>', '</details>']);
  });

  it('no raw HTML, link, image or line break from the plan survives outside code spans', () => {
    const prose = lines.map(outsideCode).join('\n');
    expect(prose).not.toMatch(/<img|<\/details><details|[^\\]\]\(|\r|(^|[^\\])[*_]{2}(bold|em)/);
    expect(prose).not.toMatch(/(^|[^\\])@octocat/);
    expect(md).not.toMatch(/\r/);
    expect(md).not.toMatch(/^## Approved/m);
    // An entity in plan text shows as the characters written, not as what it encodes.
    expect(prose).not.toContain('&lt;script&gt;');
    expect(prose).toContain('&amp;lt;script&amp;gt;');
  });

  it('code spans cannot be closed from inside', () => {
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('``` x')).toBe('```` ``` x ````');
    expect(mdCode('`')).toBe('`` ` ``');
    expect(mdCode('a|b', true)).toBe('`a\\|b`');
    expect(mdCode('a\nb')).toBe('`a\\nb`');
    expect(mdText('<b>[x](y)</b> & #h')).toBe('&lt;b&gt;\\[x\\]\\(y\\)&lt;/b&gt; &amp; \\#h');
  });
});

describe('plain text escaping', () => {
  it('breaks autolinks and mentions but leaves ordinary punctuation readable', () => {
    expect(mdText('see https://evil.example and @team, v1.2-rc: ok')).toBe('see https\\://evil.example and \\@team, v1.2-rc: ok');
  });
});
