// For tests: the worker as a real child process (scripts/worker.mts), to be killed with SIGKILL
// at a fault point or stopped with SIGTERM, as a server would be.
import 'server-only';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../../..');

export type WorkerProcess = {
  pid: number;
  /** Every line it printed so far (stdout and stderr). */
  output(): string[];
  /** Resolves with the first printed line matching, or rejects after `ms`. */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  /** kill -9, then waits until the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (the worker drains), then waits for the exit. */
  stop(): Promise<void>;
};

const running = new Set<ChildProcess>();

/** Starts a worker with this process's environment (DATA_DIR, vendor URLs...) plus `extra`. */
export function spawnWorker(extra: Record<string, string> = {}): WorkerProcess {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/worker.mts'], {
    cwd: root,
    env: { ...process.env, WORKER_ENABLED: '1', ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
    });
  }
  const gone = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    pid: child.pid!,
    output: () => [...lines],
    async waitFor(pattern, ms = 30_000) {
      const end = Date.now() + ms;
      for (;;) {
        const hit = lines.find((l) => pattern.test(l));
        if (hit) return hit;
        if (child.exitCode !== null || Date.now() > end) {
          throw new Error(`worker never printed ${pattern} (exit ${child.exitCode}); output:\n${lines.join('\n')}`);
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    kill9: () => gone('SIGKILL'),
    stop: () => gone('SIGTERM'),
  };
}

/** For afterAll: no worker outlives its test file. */
export async function stopAllWorkers(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/** Polls `fn` until it returns something truthy, or fails after `ms`. */
export async function until<T>(fn: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
