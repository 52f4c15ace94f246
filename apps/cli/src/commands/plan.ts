import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseFailOn, parsePlanJson, PlanInputError, renderMarkdown, reviewPlan, FAIL_ON_CATEGORIES, DEFAULT_FAIL_ON } from '@bluegreen/plan-review';
import { EXIT } from '../exit-codes';

export interface PlanReviewOptions {
  readonly format?: string;
  readonly failOn?: string;
  readonly title?: string;
}

/**
 * `bluegreen plan review <plan.json>`: exit 0 nothing blocking, 1 a blocking finding (per --fail-on),
 * 2 unreadable input, 64 bad options. Output goes to stdout (markdown for a PR comment, or json).
 */
export function runPlanReview(
  file: string,
  options: PlanReviewOptions,
  io: { stdout: (s: string) => void; stderr: (s: string) => void } = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  },
): number {
  const format = options.format ?? 'markdown';
  if (format !== 'markdown' && format !== 'json') {
    io.stderr(`bluegreen plan review: --format: must be markdown or json, got ${JSON.stringify(format)}\n`);
    return EXIT.USAGE;
  }
  let failOn;
  try {
    failOn = parseFailOn(options.failOn);
  } catch (err) {
    io.stderr(`bluegreen plan review: ${(err as Error).message}\n`);
    return EXIT.USAGE;
  }
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    io.stderr(`bluegreen plan review: cannot read ${file}: ${(err as Error).message}\n`);
    return EXIT.ERROR;
  }
  let review;
  try {
    review = reviewPlan(parsePlanJson(text, file), failOn);
  } catch (err) {
    if (err instanceof PlanInputError) {
      io.stderr(`bluegreen plan review: ${err.message}\n`);
      return EXIT.ERROR;
    }
    throw err;
  }
  io.stdout(format === 'json' ? `${JSON.stringify(review, null, 2)}\n` : renderMarkdown(review, options.title ? { title: options.title } : {}));
  return review.blocking.length > 0 ? EXIT.FINDING : EXIT.OK;
}

/** Registers `bluegreen plan …`. */
export function registerPlanCommands(program: Command): void {
  const plan = program.command('plan').description('Terraform plan tools');
  plan
    .command('review')
    .description('Summarise a `terraform show -json` plan for a pull request and flag stateful replacements')
    .argument('<plan.json>', 'output of `terraform show -json <planfile>` ("-" for stdin)')
    .option('--format <format>', 'markdown (PR comment) or json', 'markdown')
    .option(
      '--fail-on <categories>',
      `comma-separated: ${FAIL_ON_CATEGORIES.join(', ')}, or none (default ${DEFAULT_FAIL_ON.join(',')})`,
    )
    .option('--title <title>', 'heading of the markdown summary (e.g. "Plan: prod")')
    .addHelpText(
      'after',
      '\nExit codes: 0 nothing blocking, 1 a blocking finding (per --fail-on), 2 the plan could not be read, 64 bad options.',
    )
    .action((file: string, options: PlanReviewOptions) => {
      process.exitCode = runPlanReview(file, options);
    });
}
