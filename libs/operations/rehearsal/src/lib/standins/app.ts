/** Starts one colour's application process (./app-server.ts) and drives its admin calls. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findWorkspaceRoot, type Colour } from '@bluegreen/contract';

export interface AppFaults {
  /** Fraction of requests answered 500, e.g. 0.03. @default 0 */
  readonly errorRate?: number;
  /** Added to every request, ms. @default 0 */
  readonly latencyMs?: number;
  /** The process exits at this many requests after the fault is set. @default 0 - never */
  readonly crashAfterRequests?: number;
}

export interface AppProcess {
  readonly colour: Colour;
  readonly version: string;
  readonly port: number;
  readonly pid: number;
  /** Exit code once the process ended, else undefined. */
  exitCode(): number | null | undefined;
  useDatabase(url: string): Promise<void>;
  /** Hold writes (resolves once the in-flight writes are committed), or release them. */
  pauseWrites(paused: boolean): Promise<void>;
  setFaults(faults: AppFaults): Promise<void>;
  stop(): Promise<void>;
}

const ADMIN_TIMEOUT_MS = 15_000;
const START_TIMEOUT_MS = 30_000;

/** The TypeScript loader the child runs under (the same one the command line uses). */
function loader(): string {
  return require.resolve('tsx/cjs');
}

/**
 * The application's source: beside this file when it runs from the sources, else (inside the command line's bundle,
 * whose directory is apps/cli/dist) at its place in the workspace.
 */
function appServerFile(): string {
  const here = join(__dirname, 'app-server.ts');
  if (existsSync(here)) return here;
  const root = findWorkspaceRoot(__dirname);
  const inWorkspace = root && join(root, 'libs', 'operations', 'rehearsal', 'src', 'lib', 'standins', 'app-server.ts');
  if (inWorkspace && existsSync(inWorkspace)) return inWorkspace;
  throw new Error(`the rehearsal's application (app-server.ts) was not found beside ${__dirname} or in the workspace`);
}

export async function startApp(colour: Colour, version: string, databaseUrl: string): Promise<AppProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--require', loader(), appServerFile()], {
    env: { PATH: process.env.PATH ?? '', REHEARSAL_COLOUR: colour, REHEARSAL_VERSION: version, REHEARSAL_DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${colour} application did not start within ${START_TIMEOUT_MS / 1000} s: ${stderr}`)), START_TIMEOUT_MS);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        clearTimeout(timer);
        try {
          resolve((JSON.parse(line) as { listening: number }).listening);
        } catch {
          reject(new Error(`${colour} application printed ${JSON.stringify(line)} instead of its port`));
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${colour} application exited with ${code} before listening: ${stderr}`));
    });
  });
  const call = async (path: string, body: unknown): Promise<void> => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(ADMIN_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`${colour} application ${path}: HTTP ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  return {
    colour,
    version,
    port,
    pid: child.pid ?? -1,
    exitCode: () => child.exitCode ?? (child.signalCode ? -1 : undefined),
    useDatabase: (url) => call('/_admin/database', { url }),
    pauseWrites: (paused) => call('/_admin/writes', { paused }),
    setFaults: (f) => call('/_admin/faults', f),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
