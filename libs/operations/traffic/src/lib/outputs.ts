/**
 * The stack outputs the traffic commands read: the structured `bluegreen` output (the stack contract of
 * @bluegreen/contract), from a `terraform output -json` file (`--outputs FILE`) or from the `outputs` section of the
 * environment's remote state object (no terraform init, no provider). Both have the same shape:
 * `{ "<name>": { "value": …, "type": …, "sensitive"?: … } }`.
 */
import { readFileSync } from 'node:fs';
import { parseStackContract, STACK_CONTRACT_OUTPUT, type StackContract } from '@bluegreen/contract';
import type { StackOutputsPort, StackOutputsRead } from './ports';

/** Thrown when the outputs are missing or unreadable; the message names the output or the file. */
export class OutputsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputsError';
  }
}

/** The stack contract from an outputs object (`terraform output -json`, or a state's `outputs`). */
export function contractFromOutputs(outputs: unknown, source: string): StackContract {
  if (outputs === null || typeof outputs !== 'object' || Array.isArray(outputs)) throw new OutputsError(`${source}: must be a JSON object of outputs`);
  const entry = (outputs as Record<string, unknown>)[STACK_CONTRACT_OUTPUT];
  if (entry === undefined) {
    const names = Object.keys(outputs);
    throw new OutputsError(`${source}: has no output '${STACK_CONTRACT_OUTPUT}'${names.length ? ` (outputs: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''})` : ' (no outputs at all: is the stack deployed?)'}; redeploy the stack with this version`);
  }
  const value = entry !== null && typeof entry === 'object' && 'value' in entry ? (entry as { value: unknown }).value : entry;
  return parseStackContract(value, source);
}

/** `--outputs FILE`: a saved `terraform output -json`. */
export function readOutputsFile(file: string): StackOutputsRead {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new OutputsError(`cannot read outputs file ${file}: ${(err as Error).message}`);
  }
  return { contract: contractFromOutputs(json, file), source: `file ${file} (--outputs)` };
}

export const outputsFilePort = (file: string): StackOutputsPort => ({ read: async () => readOutputsFile(file) });

/** A state document's text → its contract output. */
export function contractFromStateText(text: string, source: string): StackContract {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new OutputsError(`${source}: the state is not JSON (${(err as Error).message})`);
  }
  const outputs = doc !== null && typeof doc === 'object' ? (doc as { outputs?: unknown }).outputs : undefined;
  return contractFromOutputs(outputs ?? {}, source);
}

/**
 * Outputs from the remote state: `readState` fetches the state object's text (the S3 adapter of `@bluegreen/aws`, or
 * any other reader) and says where it came from.
 */
export function remoteStateOutputsPort(readState: () => Promise<{ readonly text: string; readonly source: string }>): StackOutputsPort {
  return {
    async read() {
      const s = await readState();
      return { contract: contractFromStateText(s.text, s.source), source: s.source };
    },
  };
}
