// For the multi-process test and the throughput bench: web servers (scripts/scale/web.mts)
// and workers (scripts/worker.mts) as real child processes on one database and one store,
// and the eight vendor fakes that answer asynchronously, with a fixed job time.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { startAtlasCloudFake } from '@/e2e/fakes/atlascloud';
import { startComfyuiFake } from '@/e2e/fakes/comfyui';
import { startDashScopeFake } from '@/e2e/fakes/dashscope';
import { startFalFake } from '@/e2e/fakes/fal';
import { startKieFake } from '@/e2e/fakes/kie';
import type { FakeServer } from '@/e2e/fakes/kit';
import { startModelsLabFake } from '@/e2e/fakes/modelslab';
import { startReplicateFake } from '@/e2e/fakes/replicate';
import { startWaveSpeedFake } from '@/e2e/fakes/wavespeed';

const root = path.resolve(import.meta.dirname, '../..');

export type Vendor = { provider: string; fake: FakeServer };

/** The eight vendors whose fakes run jobs asynchronously (submit, then poll), started on free ports. */
export async function startVendors(jobMs: number): Promise<{ vendors: Vendor[]; env: Record<string, string>; close(): Promise<void> }> {
  const [wavespeed, dashscope, kie, modelslab, replicate, fal, atlascloud, comfyui] = await Promise.all([
    startWaveSpeedFake(),
    startDashScopeFake(),
    startKieFake(),
    startModelsLabFake(),
    startReplicateFake(),
    startFalFake(),
    startAtlasCloudFake(),
    startComfyuiFake(0, { token: 'scale-comfyui-token' }),
  ]);
  const vendors: Vendor[] = [
    { provider: 'wavespeed', fake: wavespeed },
    { provider: 'dashscope', fake: dashscope },
    { provider: 'kie', fake: kie },
    { provider: 'modelslab', fake: modelslab },
    { provider: 'replicate', fake: replicate },
    { provider: 'fal', fake: fal },
    { provider: 'atlascloud', fake: atlascloud },
    { provider: 'comfyui', fake: comfyui },
  ];
  for (const v of vendors) v.fake.setFaults({ jobMs });
  const env = {
    OUTBOUND_ALLOW_HOSTS: vendors.map((v) => `127.0.0.1:${v.fake.port}`).join(','),
    WAVESPEED_BASE_URL: wavespeed.url,
    WAVESPEED_API_KEY: 'scale-wavespeed',
    DASHSCOPE_BASE_URL: `${dashscope.url}/api/v1`,
    DASHSCOPE_API_KEY: 'sk-scale-dashscope',
    KIE_BASE_URL: kie.url,
    KIE_API_KEY: 'scale-kie',
    MODELSLAB_BASE_URL: modelslab.url,
    MODELSLAB_API_KEY: 'scale-modelslab',
    REPLICATE_BASE_URL: `${replicate.url}/v1`,
    REPLICATE_API_TOKEN: 'r8_scaleReplicate',
    REPLICATE_WAIT_SECONDS: '1',
    FAL_QUEUE_BASE_URL: fal.url,
    FAL_STORAGE_BASE_URL: fal.url,
    FAL_KEY: 'scale-fal-id:scale-fal-secret',
    ATLASCLOUD_BASE_URL: atlascloud.url,
    ATLASCLOUD_API_KEY: 'scale-atlascloud',
    COMFYUI_BASE_URL: comfyui.url,
    COMFYUI_API_KEY: 'scale-comfyui-token',
    COMFYUI_WORKFLOW: path.join(root, 'lib/server/providers/comfyui/workflow.example.json'),
  };
  return { vendors, env, close: async () => void (await Promise.all(vendors.map((v) => v.fake.close()))) };
}

export type Child = {
  pid: number;
  lines: string[];
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
};

const running = new Set<ChildProcess>();

function start(script: string, env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => running.delete(child));
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
    });
  }
  return {
    pid: child.pid!,
    lines,
    async waitFor(pattern, ms = 60_000) {
      const end = Date.now() + ms;
      while (!lines.some((l) => pattern.test(l))) {
        if (child.exitCode !== null || Date.now() > end) throw new Error(`${script} never printed ${pattern}:\n${lines.join('\n')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A web server (no worker unless asked) on `port`. */
export async function startWeb(port: number, env: Record<string, string>): Promise<Child> {
  const c = start('scripts/scale/web.mts', { WORKER_ENABLED: '0', ...env, PORT: String(port) });
  await c.waitFor(/\[web\] listening/);
  return c;
}

export async function startWorkerProcess(env: Record<string, string>): Promise<Child> {
  const c = start('scripts/worker.mts', { ...env, WORKER_ENABLED: '1' });
  await c.waitFor(/\[worker\] running/);
  return c;
}

export async function killAll(): Promise<void> {
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

/** Server-Sent Events from `url`, each with the time it arrived; `close()` ends the stream. */
export function sseClient(url: string): { events: { event: string; data: string; at: number }[]; ready: Promise<void>; close(): void } {
  const abort = new AbortController();
  const events: { event: string; data: string; at: number }[] = [];
  let onReady!: () => void;
  const ready = new Promise<void>((r) => (onReady = r));
  void (async () => {
    const res = await fetch(url, { signal: abort.signal });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        cut = buffer.indexOf('\n\n');
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (!event || data === undefined) continue;
        events.push({ event, data, at: Date.now() });
        if (event === 'ready') onReady();
      }
    }
  })().catch(() => {});
  return { events, ready, close: () => abort.abort() };
}

/** A port free on loopback now (the web servers are separate processes, so they cannot take 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
