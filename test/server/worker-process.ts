/**
 * A job worker run as a child process by the tests that share an assessment between workers on PostgreSQL
 * (jobs-workers.test.ts, jobs-chunks-workers.test.ts): its pino log lines parsed as they come, ready when it logs
 * `worker started`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly logs: Record<string, unknown>[];
  /** Resolves with the worker's name once it has logged `worker started`. */
  readonly ready: Promise<string>;
  readonly exited: Promise<number | null>;
  stderr(): string;
}

/** Spawns `node args…` in the repository with `env` added to this process's environment, logging at `info`. */
export function spawnWorker(args: readonly string[], env: Readonly<Record<string, string>>): WorkerProcess {
  const child = spawn(process.execPath, [...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, EMPREINTE_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let err = '';
  let out = '';
  let onReady!: (name: string) => void;
  const ready = new Promise<string>((r) => (onReady = r));
  child.stdout!.on('data', (d) => {
    out += String(d);
    for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'worker started') onReady(String(entry.worker));
      } catch {
        // not a log line
      }
    }
  });
  child.stderr!.on('data', (d) => (err += String(d)));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, logs, ready, exited, stderr: () => err };
}

/** The worker's name once ready; fails if it exits first or is not ready within `timeoutMs`. */
export function workerReady(x: WorkerProcess, timeoutMs = 60_000): Promise<string> {
  return Promise.race([
    x.ready,
    x.exited.then((c): never => {
      throw new Error(`worker exited ${c}: ${x.stderr()}`);
    }),
    new Promise<never>((_r, ko) => {
      setTimeout(() => ko(new Error(`worker not ready: ${x.stderr()}`)), timeoutMs).unref();
    }),
  ]);
}

/** Kills (SIGKILL) each worker still running and waits for its exit: nothing left behind after a test file. */
export async function killWorkers(workers: readonly WorkerProcess[]): Promise<void> {
  for (const x of workers)
    if (x.child.exitCode === null && x.child.signalCode === null) {
      x.child.kill('SIGKILL');
      await x.exited;
    }
}
