/**
 * The shape of a guardrail: its metadata (what docs/guardrails.md is generated from) and its check. Each rule lives
 * in its own file under ./rules/, registered in ./rules/index.ts.
 */
import type { IConstruct } from 'constructs';
import type { Element } from './elements';

/**
 * How bad a violation is, on the scale scanners use. Every severity fails synth: a reviewed suppression
 * (`suppressGuardrail`) is the only way past a rule.
 */
export type GuardrailSeverity = 'critical' | 'high' | 'medium' | 'low';

export const SEVERITIES: readonly GuardrailSeverity[] = ['critical', 'high', 'medium', 'low'];

export interface GuardrailRule {
  /** `BG` + three digits. Ids are API: suppressions and docs refer to them, so an id is never reused. */
  readonly id: string;
  /** One line: what the rule guarantees. */
  readonly title: string;
  readonly severity: GuardrailSeverity;
  /** What it refuses, precisely (markdown; the docs' "refuses" column). */
  readonly refuses: string;
  /** The Terraform types and attributes it reads (markdown; the docs' "resources read" column). */
  readonly reads: string;
  /** Checkov (`CKV_AWS_*`, `CKV2_AWS_*`) and Trivy (`AVD-AWS-*`) rules this guardrail enforces. */
  readonly covers: readonly string[];
  /** Scanner rules this guardrail deliberately contradicts, because the design forbids what they ask for. */
  readonly contradicts?: readonly string[];
  /** How to fix a violation (printed with every finding). */
  readonly fix: string;
}

/** What a rule's check sees and how it reports. */
export interface RuleContext {
  /** The construct the guardrails were added to (its path names stack-level findings). */
  readonly root: IConstruct;
  /** Every resource, data source and provider below the root. */
  readonly elements: readonly Element[];
  /** The resources among them. */
  readonly resources: readonly Element[];
  /** The resources of the given types. */
  ofType(...types: string[]): Element[];
  readonly options: GuardrailOptions;
  /** Records a violation of this rule at `element` (or, without one, at `path`, default the root). */
  report(element: Element | undefined, message: string, path?: string): void;
}

/** The guardrails' settings, resolved from `BlueGreenGuardrailsProps` (defaults applied, validated). */
export interface GuardrailOptions {
  readonly environmentSuffix: string;
  readonly requiredTags: readonly string[];
  readonly databaseDeletionProtection?: boolean;
  readonly loadBalancerDeletionProtection?: boolean;
  readonly minBackupRetentionDays: number;
  /** Lower-cased IAM actions that only accept Resource "*". */
  readonly starOnlyActions: ReadonlySet<string>;
}

export interface GuardrailCheck<Id extends string = string> extends GuardrailRule {
  readonly id: Id;
  check(context: RuleContext): void;
}

/** Declares a rule (keeps its id as a literal type, so the catalogue's ids are a closed union). */
export function defineRule<const Id extends `BG${string}`>(rule: GuardrailCheck<Id>): GuardrailCheck<Id> {
  return Object.freeze(rule);
}
