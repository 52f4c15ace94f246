/**
 * The pull-request comment for one environment's plan review: the `bluegreen plan review` markdown, a verdict line
 * and a hidden marker so the workflow updates its previous comment instead of adding one per push.
 *
 *   npx tsx tools/ci/plan-comment.ts --env dev --review review.md --exit-code 1 --run-url <url> > comment.md
 */
import { readFileSync } from 'node:fs';

/** GitHub refuses comment bodies over 65,536 characters. */
export const MAX_COMMENT = 65_000;

export function marker(env: string): string {
  return `<!-- bluegreen-plan-review:${env} -->`;
}

export function commentBody(input: { env: string; review: string; exitCode: number; runUrl?: string }): string {
  if (!/^[a-z0-9-]+$/.test(input.env)) throw new Error(`--env: must be an environment name, got ${JSON.stringify(input.env)}`);
  const verdict =
    input.exitCode === 0
      ? '✅ nothing blocking'
      : input.exitCode === 1
        ? '⛔ **blocking**: this plan replaces or destroys stateful resources (see above). Merging is blocked until the plan changes or the team lead approves an explicit exception.'
        : `⚠️ the plan could not be reviewed (exit ${input.exitCode}): treat as blocking`;
  const footer = `${verdict}${input.runUrl ? ` · [workflow run](${input.runUrl})` : ''}`;
  let review = input.review.trimEnd();
  const room = MAX_COMMENT - footer.length - marker(input.env).length - 200;
  if (review.length > room) review = `${review.slice(0, room)}\n\n… (truncated: the full review is in the workflow run's artifacts)`;
  return `${marker(input.env)}\n${review}\n\n${footer}\n`;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  try {
    const file = arg('review');
    if (!file) throw new Error('--review <file> is required');
    const exitCode = Number(arg('exit-code') ?? 'NaN');
    if (!Number.isInteger(exitCode)) throw new Error(`--exit-code: must be an integer, got ${JSON.stringify(arg('exit-code'))}`);
    process.stdout.write(commentBody({ env: arg('env') ?? '', review: readFileSync(file, 'utf8'), exitCode, runUrl: arg('run-url') }));
  } catch (err) {
    process.stderr.write(`plan-comment: ${(err as Error).message}\n`);
    process.exit(2);
  }
}
