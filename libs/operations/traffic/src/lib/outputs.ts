import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Colour } from '@bluegreen/config';

/** The environment stack's Terraform outputs this library reads (names fixed by the stack's contract). */
export interface StackOutputs {
  readonly https_listener_arn?: string;
  readonly test_listener_arn?: string;
  readonly alb_arn?: string;
  readonly alb_arn_suffix?: string;
  readonly alb_dns_name?: string;
  readonly blue_target_group_arn?: string;
  readonly green_target_group_arn?: string;
  readonly blue_target_group_arn_suffix?: string;
  readonly green_target_group_arn_suffix?: string;
  readonly ecs_cluster_name?: string;
  readonly blue_service_name?: string;
  readonly green_service_name?: string;
  readonly blue_db_cluster_id?: string;
  readonly blue_db_cluster_endpoint?: string;
  readonly green_db_cluster_id?: string;
  readonly green_db_cluster_endpoint?: string;
  readonly validator_function_name?: string;
  readonly alarm_topic_arn?: string;
  readonly [name: string]: string | undefined;
}

/** Thrown when outputs are missing or unreadable; the message names the output or the file. */
export class OutputsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputsError';
  }
}

/**
 * Parses `terraform output -json` (`{ name: { value, type, sensitive } }`) or a flat `{ name: value }` map.
 * Sensitive outputs are dropped (the stack has none by contract; this keeps it that way in memory too).
 */
export function parseOutputs(json: string, source = 'outputs'): StackOutputs {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new OutputsError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new OutputsError(`${source}: must be a JSON object of outputs`);
  const out: Record<string, string> = {};
  for (const [name, entry] of Object.entries(raw as Record<string, unknown>)) {
    if (entry !== null && typeof entry === 'object' && 'value' in entry) {
      const e = entry as { value: unknown; sensitive?: boolean };
      if (e.sensitive) continue;
      if (typeof e.value === 'string') out[name] = e.value;
    } else if (typeof entry === 'string') {
      out[name] = entry;
    }
  }
  return out;
}

/** Returns the named output or throws an OutputsError naming it. */
export function requireOutput(outputs: StackOutputs, name: string): string {
  const v = outputs[name];
  if (!v) throw new OutputsError(`Terraform output '${name}' is missing (is the stack deployed, and is this the right --outputs file?)`);
  return v;
}

/** A colour's target group ARN from the outputs. */
export const targetGroupArn = (outputs: StackOutputs, colour: Colour): string => requireOutput(outputs, `${colour}_target_group_arn`);

export function readOutputsFile(file: string): StackOutputs {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new OutputsError(`cannot read outputs file ${file}: ${(err as Error).message}`);
  }
  return parseOutputs(text, file);
}

/** The synthesized stack directories of an app (`<appDir>/cdktf.out/stacks/*`). */
export function synthesizedStackDirs(appDir: string): string[] {
  const stacks = join(appDir, 'cdktf.out', 'stacks');
  if (!existsSync(stacks)) return [];
  return readdirSync(stacks, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(stacks, d.name));
}

/**
 * Runs `terraform output -no-color -json` in the app's synthesized stack directory (which must have been `terraform init`ed
 * against the remote state, as `cdktf deploy` does). Throws OutputsError when there is no single stack or terraform fails.
 */
export function readTerraformOutputs(appDir: string, terraformBin = 'terraform', timeoutMs = 60_000): Promise<StackOutputs> {
  const dirs = synthesizedStackDirs(appDir);
  if (dirs.length !== 1) {
    return Promise.reject(new OutputsError(`expected one synthesized stack under ${join(appDir, 'cdktf.out', 'stacks')}, found ${dirs.length} (run npm run synth, or pass --outputs <file>)`));
  }
  return new Promise((resolve, reject) => {
    execFile(terraformBin, ['output', '-no-color', '-json'], { cwd: dirs[0], timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        reject(new OutputsError(`terraform output -json in ${dirs[0]} failed: ${(stderr || err.message).trim().split('\n').slice(-3).join(' ')}`));
        return;
      }
      try {
        resolve(parseOutputs(stdout, `terraform output in ${dirs[0]}`));
      } catch (e) {
        reject(e);
      }
    });
  });
}
