import { Annotations, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { REQUIRED_TAG_KEYS } from '@bluegreen/config';
import { collect, type Element } from './elements';
import { STAR_ONLY_ACTIONS } from './iam';
import type { GuardrailOptions } from './rule';
import type { GuardrailRuleId } from './rules';
import { RULES } from './rules/index';
import { suppressionsFor, type GuardrailSuppression } from './suppression';

export interface BlueGreenGuardrailsProps {
  /** The environment suffix every resource name ends with (`{resource-type}-{suffix}`). */
  readonly environmentSuffix: string;
  /**
   * Tag keys the AWS provider's default_tags must carry (non-empty).
   * @default REQUIRED_TAG_KEYS from @bluegreen/config (Environment, Project, Owner, CostCenter, ManagedBy)
   */
  readonly requiredTags?: readonly string[];
  /**
   * Deletion protection the environment config asks for on Aurora clusters (BG011).
   * @default - not checked
   */
  readonly databaseDeletionProtection?: boolean;
  /**
   * Deletion protection the environment config asks for on load balancers (BG011).
   * @default - not checked
   */
  readonly loadBalancerDeletionProtection?: boolean;
  /**
   * Minimum Aurora backup retention in days (BG016).
   * @default 7
   */
  readonly minBackupRetentionDays?: number;
  /**
   * Further IAM actions that only accept Resource "*" (added to the built-in allow-list of BG009).
   * @default - none
   */
  readonly additionalStarOnlyActions?: readonly string[];
}

export interface GuardrailFinding {
  readonly ruleId: GuardrailRuleId;
  /** Construct path, e.g. `dev/database/cluster`. */
  readonly path: string;
  /** Terraform address, e.g. `aws_rds_cluster.database_cluster_1A2B3C4D` (empty for stack-level findings). */
  readonly address: string;
  readonly message: string;
  readonly fix: string;
}

export interface SuppressedFinding extends GuardrailFinding {
  readonly suppression: GuardrailSuppression;
}

export interface GuardrailReport {
  readonly violations: readonly GuardrailFinding[];
  readonly suppressed: readonly SuppressedFinding[];
}

/** Thrown at synth when at least one guardrail is violated; carries every violation, not just the first. */
export class GuardrailViolationError extends Error {
  constructor(public readonly report: GuardrailReport) {
    super(formatReport(report));
    this.name = 'GuardrailViolationError';
  }
}

export function formatFinding(f: GuardrailFinding): string {
  const where = f.address ? `${f.path} (${f.address})` : f.path;
  return `[${f.ruleId}] ${where}: ${f.message}\n      fix: ${f.fix}`;
}

function formatReport(report: GuardrailReport): string {
  const lines = [`Guardrails refused this configuration: ${report.violations.length} violation(s)`];
  for (const v of report.violations) lines.push(`  ${formatFinding(v)}`);
  if (report.suppressed.length > 0) {
    lines.push(`Suppressed (${report.suppressed.length}):`);
    for (const s of report.suppressed) lines.push(`  [${s.ruleId}] ${s.path}: ${s.suppression.reason} (declared on ${s.suppression.path})`);
  }
  lines.push('Suppress a reviewed exception with suppressGuardrail(construct, ruleId, reason) from @bluegreen/guardrails.');
  return lines.join('\n');
}

/**
 * The blue/green guardrails: an Aspect in the spirit of cdk-nag. Add it to a stack with
 * `Aspects.of(stack).add(new BlueGreenGuardrails({ environmentSuffix }))`; at synth it checks every resource below
 * the construct it was added to and throws a {@link GuardrailViolationError} listing ALL violations (construct path,
 * Terraform address, rule id, fix). Suppressions (see `suppressGuardrail`) are reported as info annotations.
 */
export class BlueGreenGuardrails implements IAspect {
  /** The last analysis (also when it passed): violations and suppressed findings. */
  public lastReport: GuardrailReport | undefined;
  private readonly options: GuardrailOptions;
  private readonly analysed = new Set<IConstruct>();

  constructor(props: BlueGreenGuardrailsProps) {
    if (typeof props.environmentSuffix !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(props.environmentSuffix)) {
      throw new Error(
        `BlueGreenGuardrails: environmentSuffix must be lowercase letters, digits and hyphens, got ${JSON.stringify(props.environmentSuffix)}`,
      );
    }
    const min = props.minBackupRetentionDays ?? 7;
    if (!Number.isInteger(min) || min < 1 || min > 35) {
      throw new Error(`BlueGreenGuardrails: minBackupRetentionDays must be an integer 1-35, got ${JSON.stringify(props.minBackupRetentionDays)}`);
    }
    this.options = {
      environmentSuffix: props.environmentSuffix,
      requiredTags: props.requiredTags ?? REQUIRED_TAG_KEYS,
      databaseDeletionProtection: props.databaseDeletionProtection,
      loadBalancerDeletionProtection: props.loadBalancerDeletionProtection,
      minBackupRetentionDays: min,
      starOnlyActions: new Set([...STAR_ONLY_ACTIONS, ...(props.additionalStarOnlyActions ?? []).map((a) => a.toLowerCase())]),
    };
  }

  visit(node: IConstruct): void {
    // The first construct visited is the one the aspect was added to; analyse its whole subtree once per synth
    // (a later synth visits that construct again and re-analyses; its children are covered by it).
    if (node.node.scopes.some((scope) => scope !== node && this.analysed.has(scope))) return;
    this.analysed.add(node);
    const report = this.check(node);
    this.lastReport = report;
    for (const s of report.suppressed) {
      Annotations.of(findConstruct(node, s.path) ?? node).addInfo(
        `guardrail ${s.ruleId} suppressed for ${s.path}: ${s.suppression.reason}`,
      );
    }
    if (report.violations.length > 0) throw new GuardrailViolationError(report);
  }

  /** Runs every rule on the subtree of `root` and returns the report (does not throw). */
  check(root: IConstruct): GuardrailReport {
    const elements = collect(root);
    const resources = elements.filter((e) => e.kind === 'resource');
    const findings: GuardrailFinding[] = [];
    for (const rule of RULES) {
      rule.check({
        root,
        elements,
        resources,
        ofType: (...types) => resources.filter((e) => types.includes(e.type)),
        options: this.options,
        report: (el: Element | undefined, message: string, path?: string) => {
          findings.push({
            ruleId: rule.id,
            path: el ? el.construct.node.path : (path ?? root.node.path),
            address: el && el.kind !== 'provider' ? `${el.kind === 'data' ? 'data.' : ''}${el.address}` : '',
            message,
            fix: rule.fix,
          });
        },
      });
    }

    // Split into violations and suppressed findings.
    const violations: GuardrailFinding[] = [];
    const suppressed: SuppressedFinding[] = [];
    const byPath = new Map(elements.map((e) => [e.construct.node.path, e.construct]));
    for (const f of findings) {
      const construct = byPath.get(f.path) ?? (f.path === root.node.path ? root : undefined);
      const suppression = construct ? suppressionsFor(construct).find((s) => s.ruleId === f.ruleId) : undefined;
      if (suppression) suppressed.push({ ...f, suppression });
      else violations.push(f);
    }
    return { violations, suppressed };
  }
}

function findConstruct(root: IConstruct, path: string): IConstruct | undefined {
  return root.node.findAll().find((c) => c.node.path === path);
}
