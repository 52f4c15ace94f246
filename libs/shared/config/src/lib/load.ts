import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { environmentSchema, type EnvironmentConfig } from './environment';
import { ConfigValidationError, describeIssues } from './errors';

/** Validates a parsed config object; throws ConfigValidationError listing every problem. */
export function validateEnvironmentConfig(input: unknown, source = 'environment config'): EnvironmentConfig {
  const result = environmentSchema.safeParse(input);
  if (!result.success) throw new ConfigValidationError(source, describeIssues(result.error.issues, input));
  return result.data;
}

/** Reads and validates an environment's YAML config file. */
export function loadEnvironmentConfig(file: string): EnvironmentConfig {
  const doc = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigValidationError(file, doc.errors.map((e) => ({ field: '(yaml)', message: e.message })));
  }
  return validateEnvironmentConfig(doc.toJS(), file);
}
