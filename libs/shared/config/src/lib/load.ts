import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { ENVIRONMENT_FILE, ENVIRONMENTS_DIR } from '@bluegreen/contract';
import { parseDocument, type Document } from 'yaml';
import { environmentSchema, type EnvironmentConfig } from './environment';
import { ConfigValidationError, describeIssues } from './errors';

/** Aliases a config may use before it is taken for a resource-exhaustion attack ("billion laughs"). */
export const MAX_YAML_ALIASES = 100;

/**
 * The settings of a config written when an environment had one blue/green pair. They are not read any more (one
 * shape, no silent mapping): the problem says where each moved.
 */
const MOVED_SETTINGS: Readonly<Record<string, string>> = {
  compute:
    'moved into services: an environment lists its services by name; the one service this file describes becomes services.monolith with unqualifiedNames: true (keeping its resource names) and routing: { default: true }, and the settings of compute move into it unchanged',
  traffic: 'moved into services.<name>.traffic: every service has its own weights and stages (for the one service this file describes: services.monolith.traffic)',
};

/** Validates a parsed config object; throws ConfigValidationError listing every problem. */
export function validateEnvironmentConfig(input: unknown, source = 'environment config'): EnvironmentConfig {
  const result = environmentSchema.safeParse(input);
  if (!result.success) {
    let problems = describeIssues(result.error.issues, input);
    const moved = input !== null && typeof input === 'object' ? Object.keys(MOVED_SETTINGS).filter((k) => k in input) : [];
    if (moved.length > 0) {
      const single = 'services' in (input as object) ? [] : ['services'];
      problems = [...moved.map((field) => ({ field, message: MOVED_SETTINGS[field] })), ...problems.filter((p) => !moved.includes(p.field) && !single.includes(p.field))];
    }
    throw new ConfigValidationError(source, problems);
  }
  return result.data;
}

/**
 * Parses config YAML into a Document, refusing syntax errors and alias bombs as configuration errors (never a raw
 * ReferenceError or RangeError that a caller could take for an I/O or AWS failure).
 */
export function parseConfigYaml(text: string, source = 'environment config'): { doc: Document; value: unknown } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new ConfigValidationError(source, doc.errors.map((e) => ({ field: '(yaml)', message: e.message })));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const message = /alias/i.test(why)
      ? `uses YAML aliases so heavily that expanding them would exhaust memory (more than ${MAX_YAML_ALIASES} alias expansions): write the values out (${why})`
      : `cannot be read as plain data: ${why}`;
    throw new ConfigValidationError(source, [{ field: '(yaml)', message }]);
  }
  return { doc, value };
}

/**
 * The environment a file names by where it lives: `apps/<env>/environment.yaml` is the config of `<env>`.
 * Undefined for a file anywhere else (a copy passed with --config, a test fixture).
 */
export function environmentOfPath(file: string): string | undefined {
  const abs = resolve(file);
  if (basename(abs) !== ENVIRONMENT_FILE) return undefined;
  const folder = dirname(abs);
  return basename(dirname(folder)) === ENVIRONMENTS_DIR ? basename(folder) : undefined;
}

/** Validates config text as the content of `file` (including that `environment` matches the file's folder). */
export function validateEnvironmentConfigText(text: string, file: string): EnvironmentConfig {
  const { value } = parseConfigYaml(text, file);
  const config = validateEnvironmentConfig(value, file);
  const folder = environmentOfPath(file);
  if (folder !== undefined && config.environment !== folder) {
    throw new ConfigValidationError(file, [
      { field: 'environment', message: `must be "${folder}": the file lives in ${ENVIRONMENTS_DIR}/${folder}/, which names the environment, got ${JSON.stringify(config.environment)}` },
    ]);
  }
  return config;
}

/** SHA-256 of a config file's exact bytes: what a later edit compares against to know nothing changed meanwhile. */
export function configContentHash(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A validated config together with the exact text it came from and that text's hash (for compare-and-swap edits). */
export interface EnvironmentConfigSnapshot {
  readonly file: string;
  readonly config: EnvironmentConfig;
  readonly text: string;
  readonly hash: string;
}

/** Reads and validates an environment's config file, keeping the text and its hash for a later edit. */
export function readEnvironmentConfig(file: string): EnvironmentConfigSnapshot {
  const text = readFileSync(file, 'utf8');
  return { file, config: validateEnvironmentConfigText(text, file), text, hash: configContentHash(text) };
}

/** Reads and validates an environment's YAML config file. */
export function loadEnvironmentConfig(file: string): EnvironmentConfig {
  return readEnvironmentConfig(file).config;
}
