/**
 * What the guardrails read: every resource, data source and provider of a construct subtree as it will be
 * synthesized (tokens resolved to `${...}` references), and small readers for their attribute bodies.
 */
import { DefaultTokenResolver, StringConcat, TerraformDataSource, TerraformProvider, TerraformResource, Tokenization } from 'cdktf';
import type { IConstruct } from 'constructs';

/** A synthesized attribute body (`resource.<type>.<name>`), snake_case keys as in Terraform JSON. */
export type Body = Record<string, unknown>;

export interface Element {
  readonly construct: IConstruct;
  readonly kind: 'resource' | 'data' | 'provider';
  /** Terraform type, e.g. `aws_rds_cluster` (`aws` for the provider). */
  readonly type: string;
  /** Terraform address without the `data.` prefix, e.g. `aws_rds_cluster.database_cluster_1A2B3C4D`. */
  readonly address: string;
  readonly body: Body;
}

/** Is this value (or part of it) a reference to another resource (`${...}`), unknown until apply? */
export function isRef(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** The first block of a nested block list (Terraform JSON writes single blocks as one-element lists). */
export function first(value: unknown): Body | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v !== null && typeof v === 'object' ? (v as Body) : undefined;
}

/** Every block of a nested block list. */
export function list(value: unknown): Body[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is Body => v !== null && typeof v === 'object');
}

/** A string or list of strings as a list (anything else dropped). */
export function strings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Does `value` reference the resource at `address` (e.g. `${aws_s3_bucket.logs.id}`)? */
export function references(value: unknown, address: string): boolean {
  return typeof value === 'string' && new RegExp(`\\$\\{${escapeRegExp(address)}\\.(id|bucket|arn)\\}`).test(value);
}

/** Every resource, data source and provider below `root`, as synthesized (tokens resolved to `${...}` references). */
export function collect(root: IConstruct): Element[] {
  const out: Element[] = [];
  for (const construct of root.node.findAll()) {
    let kind: Element['kind'];
    if (TerraformResource.isTerraformResource(construct)) kind = 'resource';
    else if (construct instanceof TerraformDataSource) kind = 'data';
    else if (construct instanceof TerraformProvider) kind = 'provider';
    else continue;
    const element = construct as TerraformResource | TerraformDataSource | TerraformProvider;
    const resolved = Tokenization.resolve(element.toTerraform(), {
      scope: construct,
      preparing: false,
      resolver: new DefaultTokenResolver(new StringConcat()),
    }) as Record<string, Record<string, unknown>>;
    const type = element.terraformResourceType;
    let body: Body | undefined;
    if (kind === 'provider') {
      body = first((resolved['provider'] as Record<string, unknown> | undefined)?.[type]);
    } else {
      const block = resolved[kind === 'resource' ? 'resource' : 'data']?.[type] as Record<string, Body> | undefined;
      body = block ? Object.values(block)[0] : undefined;
    }
    const id = kind === 'provider' ? type : (element as TerraformResource).friendlyUniqueId;
    out.push({ construct, kind, type, address: `${type}.${id}`, body: body ?? {} });
  }
  return out;
}
