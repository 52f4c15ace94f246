// The operator policy is generated from the command line's action list (OPERATOR_ACTIONS): every listed action is
// granted, nothing else is, each on this environment's resources, `*` only for the actions AWS authorises on
// nothing narrower (each with its reason in the list); the guardrails (BG009: no scopable action on "*") pass.
import { join } from 'node:path';
import { loadEnvironmentConfig, validateEnvironmentConfig, type EnvironmentConfig, type EnvironmentConfigInput } from '@bluegreen/config';
import { OPERATOR_ACTIONS, parseStackContract, STACK_CONTRACT_OUTPUT } from '@bluegreen/contract';
import { Testing } from 'cdktf';
import { BlueGreenStack, operatorPolicyStatements } from '../src';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const apps = join(__dirname, '..', '..', '..', '..', 'apps');
const load = (env: string) => loadEnvironmentConfig(join(apps, env, 'environment.yaml'));
const build = (config: EnvironmentConfig) => new BlueGreenStack(Testing.app(), config.environment, { config });

describe('operator policy', () => {
  const stack = build(load('dev'));
  const json: Json = JSON.parse(Testing.synth(stack));
  const statements = operatorPolicyStatements({ config: stack.config, naming: stack.naming, compute: stack.compute, validator: stack.validator, migration: stack.migration });

  it('is a managed policy named by the naming rule, in the contract for operators to find', () => {
    const policies = Object.values(json.resource.aws_iam_policy as Record<string, Json>).filter((p) => p.name === 'policy-operator-dev');
    expect(policies).toHaveLength(1);
    expect(policies[0].policy).toMatch(/^\$\{jsonencode\(/);
    expect(parseStackContract(json.output[STACK_CONTRACT_OUTPUT].value, 'dev').operatorPolicyArn).toMatch(/^\$\{aws_iam_policy\.operator-policy\.arn\}$/);
  });

  it('grants exactly the listed actions (a dev stack without a migration has no DMS task statement)', () => {
    const granted = new Set(statements.flatMap((s) => s.Action));
    const listed = new Set(OPERATOR_ACTIONS.filter((a) => !(a.resource === 'dms-tasks')).map((a) => a.action));
    expect([...granted].sort()).toEqual([...listed].sort());
  });

  it('scopes each action to its resources; "*" only for actions the list gives a reason for', () => {
    const by = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(by.ReadRemoteState).toMatchObject({ Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::bluegreen-tfstate-111111111111/dev/terraform.tfstate'] });
    expect(by.DecryptRemoteState.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::bluegreen-tfstate-111111111111/dev/terraform.tfstate', 'arn:aws:s3:::bluegreen-tfstate-111111111111'] },
    });
    expect(by.RollbackListenerWeights).toEqual({ Sid: 'RollbackListenerWeights', Effect: 'Allow', Action: ['elasticloadbalancing:ModifyListener'], Resource: [stack.compute.loadBalancer.httpsListenerArn] });
    // dev runs two services: four ECS services; catalog's forward is its HTTPS listener rule, and only that rule.
    expect(by.ReadEcsServices.Resource).toHaveLength(4);
    const catalogRule = stack.compute.service('catalog').route;
    expect(catalogRule.kind).toBe('listener-rule');
    expect(by.RollbackListenerRuleWeights).toEqual({ Sid: 'RollbackListenerRuleWeights', Effect: 'Allow', Action: ['elasticloadbalancing:ModifyRule'], Resource: [catalogRule.kind === 'listener-rule' ? catalogRule.ruleArn : ''] });
    expect(by.InvokeSchemaValidator.Resource).toEqual([stack.validator.functionArn]);
    const star = by.ActionsWithoutResourceLevelPermissions;
    expect(star.Resource).toEqual(['*']);
    for (const action of star.Action) expect(OPERATOR_ACTIONS.find((a) => a.action === action)?.starReason).toBeTruthy();
  });

  it('an environment of one service has no listener rule statement', () => {
    const prod = build(load('prod'));
    const s = operatorPolicyStatements({ config: prod.config, naming: prod.naming, compute: prod.compute, validator: prod.validator, migration: prod.migration });
    expect(s.map((x) => x.Sid)).not.toContain('RollbackListenerRuleWeights');
  });

  it('with a migration, the DMS task actions are scoped to the forward and reverse task ARNs', () => {
    const staging = load('staging') as EnvironmentConfigInput;
    const withMigration = build(
      validateEnvironmentConfig({ ...staging, migration: { enabled: true, source: { kind: 'blue' }, target: 'green', targetCertificateArn: 'arn:aws:dms:us-east-1:222222222222:cert:RDSCA', reverse: { enabled: true } } }),
    );
    const s = operatorPolicyStatements({ config: withMigration.config, naming: withMigration.naming, compute: withMigration.compute, validator: withMigration.validator, migration: withMigration.migration });
    const dms = s.find((x) => x.Sid === 'OperateDmsTasks');
    expect(dms?.Action).toEqual(['dms:DescribeTableStatistics', 'dms:StartReplicationTask', 'dms:StopReplicationTask']);
    expect(dms?.Resource).toEqual([withMigration.migration?.replicationTaskArn, withMigration.migration?.reverseTaskArn]);
  });
});
