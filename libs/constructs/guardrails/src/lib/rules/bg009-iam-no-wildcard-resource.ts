import { list, type Element } from '../elements';
import { findWildcardResourceGrants, parsePolicyStatements } from '../iam';
import { defineRule } from '../rule';

type Statements = NonNullable<ReturnType<typeof parsePolicyStatements>>;

/** JSON policy documents carried by an element, with a label for messages. */
function policyDocuments(el: Element): Array<[Statements, string]> {
  const out: Array<[Statements, string]> = [];
  if (el.kind === 'data' && el.type === 'aws_iam_policy_document') {
    out.push([list(el.body['statement']), 'policy document']);
  }
  if (el.kind === 'resource' && ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'].includes(el.type)) {
    const policy = el.body['policy'];
    const doc = parsePolicyStatements(policy);
    if (doc) out.push([doc, 'policy']);
    // A reference to a policy document data source is checked at that data source; anything else we cannot read
    // fails closed (a policy nobody can check is not a least-privilege policy).
    else if (!(typeof policy === 'string' && /^\$\{data\.aws_iam_policy_document\.[^.}]+\.json\}$/.test(policy))) {
      out.push([[{ Effect: 'Allow', Action: ['(unreadable policy: use JSON.stringify, Fn.jsonencode or an aws_iam_policy_document)'], Resource: '*' }], 'policy']);
    }
  }
  if (el.kind === 'resource' && el.type === 'aws_iam_role') {
    for (const inline of list(el.body['inline_policy'])) {
      const doc = parsePolicyStatements(inline['policy']);
      if (doc) out.push([doc, `inline policy ${String(inline['name'] ?? '')}`.trim()]);
    }
  }
  return out;
}

const range = (prefix: string, from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

export const BG009 = defineRule({
  id: 'BG009',
  title: 'IAM policies do not grant scopable actions on Resource "*"',
  severity: 'high',
  refuses:
    'an Allow statement granting scopable actions on `Resource: "*"` (allow-list `STAR_ONLY_ACTIONS`: ENI management, `ecr:GetAuthorizationToken`, X-Ray, `cloudwatch:PutMetricData`, log delivery, describe calls without resource-level permissions); a policy that cannot be read (fails closed)',
  reads:
    '`aws_iam_policy`, `aws_iam_role_policy`, user/group policies, `aws_iam_role.inline_policy`, `data.aws_iam_policy_document`; JSON strings and `Fn.jsonencode(...)` are both read',
  covers: [
    'CKV_AWS_355',
    'CKV_AWS_356',
    'AVD-AWS-0057',
    'CKV_AWS_1',
    'CKV_AWS_62',
    'CKV_AWS_63',
    'CKV2_AWS_40',
    ...range('CKV_AWS_', 107, 111),
    ...range('CKV_AWS_', 286, 290),
    'AVD-AWS-0342',
  ],
  fix: "scope Resource to the ARNs the principal needs; an action that only accepts \"*\" belongs in the allow-list, or suppress with suppressGuardrail(construct, 'BG009', '<reason>')",
  check({ elements, options, report }) {
    for (const el of elements) {
      for (const [doc, label] of policyDocuments(el)) {
        for (const grant of findWildcardResourceGrants(doc)) {
          const actions = grant.actions.filter((a) => !options.starOnlyActions.has(a.toLowerCase()));
          if (actions.length > 0) report(el, `${label} statement ${grant.statement} grants ${actions.join(', ')} on Resource "*"`);
        }
      }
    }
  },
});
