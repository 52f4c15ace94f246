import { writeFileSync } from 'node:fs';
import { exitCodeOf, formatText, rehearse, renderHtml, SCENARIOS, type ScenarioName } from '@bluegreen/rehearsal';
import { Option, type Command } from 'commander';
import { numberIn } from '../arguments';
import { action, environmentOptions, interruptOnSignals, resolveEnvironment } from '../context';
import { EXIT } from '../exit-codes';
import { formatOption } from '../output';


interface RehearseCliOptions {
  env: string;
  config?: string;
  scenario: ScenarioName;
  format: 'text' | 'json';
  report?: string;
  rate: number;
  duration: number;
  hold: number;
  interval: number;
  window: number;
  quiet?: boolean;
}

const HELP = `
Runs a whole migration locally against real stand-ins (two PostgreSQL servers with logical replication, blue and
green application processes, a weighted proxy, live load), driven by the same stage rules, gates, rollback matrix and
database cutover as the real commands, and judges it by its KPIs. Everything listens on 127.0.0.1 and is stopped at
the end, also on failure or Ctrl-C.

Scenarios:
  happy                   schema gate, every stage to 100 %, database cutover with reverse replication, promote
  bad-green               green answers 5xx at 3 % from the 25 % stage: the watch rolls back on its own
  slow-green              green's p95 goes over the threshold: rollback with the latency reason
  breaking-schema         green's schema breaks a query of the old version: the first shift is refused
  rollback-after-cutover  writes land on the new database, then everything returns to the old one

Exit codes:
  0   every KPI met
  1   a KPI missed (the report names it)
  2   the rehearsal could not run (a stand-in did not start, bad environment config, interrupted)
  64  usage: unknown option, missing or malformed argument`;

/** Registers `bluegreen rehearse`. */
export function registerRehearseCommand(program: Command): void {
  const cmd = program.command('rehearse').description('Rehearse the whole migration and its way back on this machine, with live traffic and writes');
  environmentOptions(cmd)
    .addOption(new Option('--scenario <name>', 'what to rehearse').choices([...SCENARIOS]).makeOptionMandatory())
    .addOption(formatOption())
    .option('--report <file>', 'also write a self-contained HTML report (timeline chart, KPI table) to this file')
    .option('--rate <n>', 'requests per second of the load (half writes)', numberIn('--rate', 1, 500), 40)
    .option('--duration <seconds>', 'the load stops by itself after this at the latest', numberIn('--duration', 10, 3600), 150)
    .option('--hold <seconds>', 'how long each stage is watched', numberIn('--hold', 0.5, 900), 3)
    .option('--interval <seconds>', 'seconds between watch polls', numberIn('--interval', 0.1, 60), 1)
    .option('--window <seconds>', 'metrics window of each poll', numberIn('--window', 0.5, 600), 3)
    .option('--quiet', 'no progress lines on stderr')
    .addHelpText('after', HELP)
    .action(
      action('rehearse', async (out, o: RehearseCliOptions) => {
        const where = resolveEnvironment(o);
        const interrupt = interruptOnSignals(out, 'stopping the stand-ins');
        try {
          const result = await rehearse({
            env: where.env,
            configPath: where.configPath,
            root: where.root,
            scenario: o.scenario,
            rate: o.rate,
            durationSeconds: o.duration,
            holdSeconds: o.hold,
            intervalSeconds: o.interval,
            windowSeconds: o.window,
            signal: interrupt.signal,
            onEvent: o.quiet ? undefined : (e) => out.note(`${(e.t / 1000).toFixed(1).padStart(6)} s  ${e.kind.padEnd(11)} ${e.text}`),
          });
          if (o.format === 'json') out.json(result);
          else out.data(formatText(result));
          if (o.report) {
            try {
              writeFileSync(o.report, renderHtml(result));
              out.note(`report: ${o.report}`);
            } catch (err) {
              out.error(`cannot write the report ${o.report}: ${(err as Error).message}`);
              return EXIT.ERROR;
            }
          }
          return exitCodeOf(result);
        } finally {
          interrupt.dispose();
        }
      }),
    );
}
