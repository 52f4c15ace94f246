/**
 * Pure analysis of IAM policy documents for BG009 ("no Resource '*' for actions that can be scoped").
 */

/**
 * Actions that AWS only authorises on Resource "*" (the service authorization reference lists no resource type for
 * them), so a wildcard is the only correct value. Kept short on purpose: add an action here only with its reason.
 */
export const STAR_ONLY_ACTIONS: ReadonlySet<string> = new Set(
  [
    // ECS/Fargate, Lambda in a VPC: ENI management has no resource-level permissions.
    'ec2:CreateNetworkInterface',
    'ec2:DescribeNetworkInterfaces',
    'ec2:DeleteNetworkInterface',
    'ec2:AssignPrivateIpAddresses',
    'ec2:UnassignPrivateIpAddresses',
    'ec2:DescribeSubnets',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeVpcs',
    // ECR login token is account-wide.
    'ecr:GetAuthorizationToken',
    // X-Ray segments and sampling have no resources.
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    'xray:GetSamplingRules',
    'xray:GetSamplingTargets',
    // CloudWatch metrics have no ARN.
    'cloudwatch:PutMetricData',
    'cloudwatch:GetMetricData',
    'cloudwatch:ListMetrics',
    'cloudwatch:DescribeAlarms',
    // Log delivery configuration (VPC flow logs to CloudWatch) is account-level.
    'logs:CreateLogDelivery',
    'logs:GetLogDelivery',
    'logs:UpdateLogDelivery',
    'logs:DeleteLogDelivery',
    'logs:ListLogDeliveries',
    'logs:DescribeLogGroups',
    'logs:DescribeResourcePolicies',
    'logs:PutResourcePolicy',
    // Read-only describe calls of services that have no resource-level permissions for them.
    'elasticloadbalancing:DescribeLoadBalancers',
    'elasticloadbalancing:DescribeListeners',
    'elasticloadbalancing:DescribeRules',
    'elasticloadbalancing:DescribeTargetGroups',
    'elasticloadbalancing:DescribeTargetHealth',
    'rds:DescribeDBClusters',
    'rds:DescribeDBInstances',
    // DMS filters tasks by ARN in the request; the action itself takes no resource (the operator policy reads it).
    'dms:DescribeReplicationTasks',
    'kms:ListAliases',
    'secretsmanager:ListSecrets',
    'secretsmanager:GetRandomPassword',
    'sts:GetCallerIdentity',
  ].map((a) => a.toLowerCase()),
);

export interface PolicyFinding {
  /** Statement index (or Sid) within the document. */
  readonly statement: string;
  /** The actions granted on "*" that are not in the allow-list. */
  readonly actions: readonly string[];
}

/** A statement as it appears in a JSON policy or (snake-cased) in an aws_iam_policy_document data source. */
interface RawStatement {
  readonly Sid?: unknown;
  readonly sid?: unknown;
  readonly Effect?: unknown;
  readonly effect?: unknown;
  readonly Action?: unknown;
  readonly actions?: unknown;
  readonly Resource?: unknown;
  readonly resources?: unknown;
}

function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** Checks a list of statements; returns one finding per Allow statement that grants scopable actions on "*". */
export function findWildcardResourceGrants(statements: readonly RawStatement[]): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  statements.forEach((s, index) => {
    const effect = String(s.Effect ?? s.effect ?? 'Allow');
    if (effect !== 'Allow') return;
    const resources = asList(s.Resource ?? s.resources);
    if (!resources.includes('*')) return;
    const actions = asList(s.Action ?? s.actions);
    const scopable = actions.filter((a) => !STAR_ONLY_ACTIONS.has(a.toLowerCase()));
    if (scopable.length > 0) {
      const sid = s.Sid ?? s.sid;
      findings.push({ statement: typeof sid === 'string' && sid ? sid : `#${index}`, actions: scopable });
    }
  });
  return findings;
}

/**
 * Parses a JSON policy string as synthesized (tokens already resolved to `${...}` references, which are never "*").
 * Returns `undefined` when the text is not a literal JSON document (e.g. a `${jsonencode(...)}` expression or a
 * reference to a data source): those are checked where they are produced.
 */
export function parsePolicyStatements(policy: unknown): RawStatement[] | undefined {
  if (typeof policy !== 'string') return undefined;
  let doc: unknown;
  try {
    doc = decodeJsonAttribute(policy);
  } catch {
    return undefined;
  }
  if (doc === null || typeof doc !== 'object') return undefined;
  const statement = (doc as { Statement?: unknown }).Statement;
  if (statement === undefined) return [];
  return (Array.isArray(statement) ? statement : [statement]) as RawStatement[];
}

/**
 * Reads a synthesized JSON-document attribute (a policy, container definitions, a dashboard body): literal JSON, or
 * the `${jsonencode({...})}` expression `Fn.jsonencode` renders, with references as `"${reference}"` strings.
 * Throws when the text is neither.
 */
export function decodeJsonAttribute(value: string): unknown {
  const jsonencode = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(value.trim());
  return JSON.parse(jsonencode ? hclObjectToJson(jsonencode[1]) : value);
}

/**
 * `Fn.jsonencode({...})` synthesizes to `${jsonencode({"Effect" = "Allow", "Resource" = aws_x.y.arn})}`: an HCL
 * object literal. This turns that literal into JSON: `=` → `:`, bare references and expressions → the string
 * `${reference}` (never "*"), quoted strings, numbers, true/false/null kept. Throws when it meets anything else.
 */
export function hclObjectToJson(hcl: string): string {
  let out = '';
  let i = 0;
  while (i < hcl.length) {
    const c = hcl[i];
    if (c === '"') {
      let j = i + 1;
      let depth = 0;
      while (j < hcl.length) {
        if (hcl[j] === '\\') j += 2;
        else if (hcl[j] === '$' && hcl[j + 1] === '{') {
          depth++;
          j += 2;
        } else if (hcl[j] === '}' && depth > 0) {
          depth--;
          j++;
        } else if (hcl[j] === '"' && depth === 0) break;
        else j++;
      }
      out += hcl.slice(i, j + 1);
      i = j + 1;
    } else if (c === '=' ) {
      out += ':';
      i++;
    } else if ('{}[],:'.includes(c) || /\s/.test(c)) {
      out += c;
      i++;
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(hcl.slice(i));
      if (!m) throw new Error(`unexpected ${JSON.stringify(c)} at ${i}`);
      out += m[0];
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      // A reference or function call: read up to the next top-level delimiter.
      let j = i;
      let depth = 0;
      while (j < hcl.length) {
        const d = hcl[j];
        if (d === '(' || d === '[') depth++;
        else if (d === ')' || d === ']') {
          if (depth === 0) break;
          depth--;
        } else if (depth === 0 && (d === ',' || d === '}' || /\s/.test(d))) break;
        j++;
      }
      const word = hcl.slice(i, j);
      out += ['true', 'false', 'null'].includes(word) ? word : JSON.stringify(`\${${word}}`);
      i = j;
    } else {
      throw new Error(`unexpected ${JSON.stringify(c)} at ${i}`);
    }
  }
  return out;
}
