import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { FAIL_ON_CATEGORIES, DEFAULT_FAIL_ON, parseFailOn, parsePlanJson, PlanInputError, renderMarkdown, reviewPlan } from '@bluegreen/plan-review';
import { action, reportError, UsageError } from '../context';
import { EXIT, exitCodesHelp } from '../exit-codes';
import { createOutput, formatOption, type Output } from '../output';

/** `text` is the markdown summary (what a terminal and a pull-request comment both show). */
export const PLAN_FORMATS = ['markdown', 'text', 'json'] as const;

export interface PlanReviewOptions {
  readonly format?: string;
  readonly failOn?: string;
  readonly title?: string;
}

/**
 * `bluegreen plan review <plan.json>`: exit 0 nothing blocking, 1 a blocking finding (per --fail-on),
 * 2 unreadable input, 64 bad options. The summary goes to stdout (markdown for a PR comment, or json).
 */
export function runPlanReview(file: string, options: PlanReviewOptions, out: Output = createOutput('plan review')): number {
  try {
    const format = options.format ?? 'markdown';
    if (!(PLAN_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: must be ${PLAN_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
    let failOn;
    try {
      failOn = parseFailOn(options.failOn);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    let text: string;
    try {
      text = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (err) {
      out.error(`cannot read ${file}: ${(err as Error).message}`);
      return EXIT.ERROR;
    }
    let review;
    try {
      review = reviewPlan(parsePlanJson(text, file), failOn);
    } catch (err) {
      if (err instanceof PlanInputError) {
        out.error(err.message);
        return EXIT.ERROR;
      }
      throw err;
    }
    if (format === 'json') out.json(review);
    else out.data(renderMarkdown(review, options.title ? { title: options.title } : {}));
    return review.blocking.length > 0 ? EXIT.FINDING : EXIT.OK;
  } catch (err) {
    return reportError(out, err);
  }
}

/** Registers `bluegreen plan …`. */
export function registerPlanCommands(program: Command): void {
  const plan = program.command('plan').description('Terraform plan tools');
  plan
    .command('review')
    .description('Summarise a `terraform show -json` plan for a pull request and flag stateful replacements')
    .argument('<plan.json>', 'output of `terraform show -json <planfile>` ("-" for stdin)')
    .addOption(formatOption(PLAN_FORMATS))
    .option('--fail-on <categories>', `comma-separated: ${FAIL_ON_CATEGORIES.join(', ')}, or none (default ${DEFAULT_FAIL_ON.join(',')})`)
    .option('--title <title>', 'heading of the markdown summary (e.g. "Plan: prod")')
    .addHelpText('after', exitCodesHelp({ 0: 'nothing blocking', 1: 'a blocking finding (per --fail-on)', 2: 'the plan could not be read' }))
    .action(action('plan review', (out, file: string, options: PlanReviewOptions) => runPlanReview(file, options, out)));
}
