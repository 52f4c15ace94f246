/**
 * The environment's operator policy: exactly the IAM actions the `bluegreen` command line uses
 * (OPERATOR_ACTIONS of @bluegreen/contract, the list its AWS adapters are tested against), each scoped to this
 * environment's resources where the action takes a resource, `*` only where AWS allows nothing else (with the
 * reason in the statement id's list). Attach it to the role or permission set operators and CI assume for the
 * operations commands (docs/operating.md); applying the stack itself needs more (that is CI's deploy role).
 */
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import type { EnvironmentConfig, Naming } from '@bluegreen/config';
import { defaultStateKey, OPERATOR_ACTIONS, type OperatorResource } from '@bluegreen/contract';
import type { BlueGreenCompute } from '@bluegreen/ecs';
import type { DmsMigration } from '@bluegreen/migration';
import type { SchemaValidatorFunction } from '@bluegreen/validation';
import { Fn } from 'cdktf';
import type { Construct } from 'constructs';

export interface OperatorPolicyParts {
  readonly config: EnvironmentConfig;
  readonly naming: Naming;
  readonly compute: BlueGreenCompute;
  readonly validator: SchemaValidatorFunction;
  readonly migration?: DmsMigration;
}

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

const SIDS: Record<OperatorResource, string> = {
  'state-object': 'ReadRemoteState',
  'state-key': 'DecryptRemoteState',
  'https-listener': 'RollbackListenerWeights',
  'https-listener-rules': 'RollbackListenerRuleWeights',
  'ecs-services': 'ReadEcsServices',
  'validator-function': 'InvokeSchemaValidator',
  'dms-tasks': 'OperateDmsTasks',
  '*': 'ActionsWithoutResourceLevelPermissions',
};

/** The resources of each kind in this environment; an empty list drops the statement (nothing of that kind). */
function resourcesOf(p: OperatorPolicyParts): Record<OperatorResource, string[]> {
  const { config } = p;
  const key = config.state.key ?? defaultStateKey(config.environment);
  const stateKey = config.state.kmsKeyId?.startsWith('arn:aws:kms:') && config.state.kmsKeyId.includes(':key/') ? config.state.kmsKeyId : `arn:aws:kms:${config.region}:${config.accountId}:key/*`;
  const services = Object.values(p.compute.services);
  return {
    'state-object': [`arn:aws:s3:::${config.state.bucket}/${key}`],
    'state-key': [stateKey],
    'https-listener': [p.compute.loadBalancer.httpsListenerArn],
    // Only the services' own HTTPS rules (the test listener's rules stay out: the commands never move them).
    'https-listener-rules': services.flatMap((s) => (s.route.kind === 'listener-rule' ? [s.route.ruleArn] : [])),
    'ecs-services': services.flatMap((s) => [s.blue.serviceId, s.green.serviceId]),
    'validator-function': [p.validator.functionArn],
    'dms-tasks': p.migration ? [p.migration.replicationTaskArn, ...(p.migration.reverseTaskArn ? [p.migration.reverseTaskArn] : [])] : [],
    '*': ['*'],
  };
}

/** The policy document: one statement per resource kind, actions from OPERATOR_ACTIONS. */
export function operatorPolicyStatements(p: OperatorPolicyParts): PolicyStatement[] {
  const resources = resourcesOf(p);
  const { config } = p;
  const key = config.state.key ?? defaultStateKey(config.environment);
  const out: PolicyStatement[] = [];
  for (const kind of Object.keys(SIDS) as OperatorResource[]) {
    const actions = [...new Set(OPERATOR_ACTIONS.filter((a) => a.resource === kind).map((a) => a.action))].sort();
    if (actions.length === 0 || resources[kind].length === 0) continue;
    out.push({
      Sid: SIDS[kind],
      Effect: 'Allow',
      Action: actions,
      Resource: resources[kind],
      // The state key: only through S3, only for this state object (the SSE-KMS encryption context names it).
      ...(kind === 'state-key'
        ? {
            Condition: {
              StringEquals: { 'kms:ViaService': `s3.${config.region}.amazonaws.com` },
              StringLike: { 'kms:EncryptionContext:aws:s3:arn': [`arn:aws:s3:::${config.state.bucket}/${key}`, `arn:aws:s3:::${config.state.bucket}`] },
            },
          }
        : {}),
    });
  }
  return out;
}

/** Adds the managed policy `policy-operator-<suffix>` (attach it to the operators' role; the stack attaches it to no one). */
export function addOperatorPolicy(scope: Construct, p: OperatorPolicyParts): IamPolicy {
  return new IamPolicy(scope, 'operator-policy', {
    name: p.naming.name('policy-operator'),
    description: `The IAM actions of the bluegreen command line for ${p.config.environment} (traffic, state show, migration), scoped to its resources`,
    policy: Fn.jsonencode({ Version: '2012-10-17', Statement: operatorPolicyStatements(p) }),
  });
}
