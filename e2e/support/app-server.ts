import { spawn, type ChildProcess } from 'node:child_process';
import { e2eServerEnv, repoRoot } from './server-env';

export type AppServer = { url: string; kill(signal?: NodeJS.Signals): Promise<void> };

/**
 * Starts another `next start` on the build the web server already made, for tests that
 * need to stop and restart the app themselves (crash recovery).
 */
export async function startApp(port: number, dataDir: string, extra: Record<string, string> = {}): Promise<AppServer> {
  // HOST in `extra` binds elsewhere (the perimeter test listens on 0.0.0.0); still reached via 127.0.0.1.
  const host = extra.HOST ?? '127.0.0.1';
  const child: ChildProcess = spawn('node', ['node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', host], {
    cwd: repoRoot,
    env: e2eServerEnv(dataDir, extra) as NodeJS.ProcessEnv,
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('next start did not become healthy in 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    kill: (signal = 'SIGKILL') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
