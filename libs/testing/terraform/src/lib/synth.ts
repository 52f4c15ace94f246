import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Testing, type TerraformStack } from 'cdktf';

/**
 * Synthesizes one stack into a fresh temporary cdktf.out (Testing.fullSynth) and returns its stack directory,
 * `<outdir>/stacks/<stack id>`, ready for {@link offlineValidateAndPlan}.
 */
export function synthStack(stack: TerraformStack): string {
  const outdir = Testing.fullSynth(stack);
  const dir = join(outdir, 'stacks', stack.node.id);
  if (!existsSync(join(dir, 'cdk.tf.json'))) throw new Error(`synthStack: expected ${dir}/cdk.tf.json after synthesis`);
  return dir;
}
