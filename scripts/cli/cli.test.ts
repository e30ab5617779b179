import { AsyncLocalStorage } from 'node:async_hooks';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';
import type { BatchState } from './batch-state.mts';

// The CLI against the real /api/v1 route handlers, served by a loopback bridge in this process
// (no Next build), with the offline engine and the worker running here too.
const dataDir = useTempDataDir({ API_RATE_LIMIT: '1000000', WORKER_CONCURRENCY: '4' });
const headerStore = new AsyncLocalStorage<Headers>();
vi.mock('next/headers', () => ({
  headers: async () => headerStore.getStore() ?? new Headers(),
  cookies: async () => ({ get: () => undefined }),
}));

const { db } = await import('@/lib/server/db/client');
const { ownerContext } = await import('@/lib/server/context');
const { createToken } = await import('@/lib/server/services/tokens');
const { startWorker, stopWorker } = await import('@/lib/server/jobs/worker');
const { startBatchFeeder, stopBatchFeeder } = await import('@/lib/server/batches/feeder');

type Handler = (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Route = { pattern: RegExp; keys: string[]; module: Record<string, Handler> };
type Hit = { method: string; path: string; key: string | null; body: string };

const ROOT = path.resolve(import.meta.dirname, '../..');
const ENGINE = 'offline:engine-v1';
const COUNT = 50;
const hits: Hit[] = [];
// Set to serve no /api/v1/batches: the CLI must fall back to one run per image.
let hideBatches = false;

/** Every app/api/v1/**\/route.ts, so batches are served as soon as their routes exist. */
async function loadRoutes(): Promise<Route[]> {
  const base = path.join(ROOT, 'app/api/v1');
  const files = readdirSync(base, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('route.ts'));
  return Promise.all(
    files.map(async (f) => {
      const keys: string[] = [];
      const segs = path.dirname(f) === '.' ? [] : path.dirname(f).split(path.sep);
      const re = segs
        .map((s) => {
          if (!s.startsWith('[')) return s.replace(/\./g, '\\.');
          keys.push(s.slice(1, -1));
          return '([^/]+)';
        })
        .join('/');
      return { pattern: new RegExp(`^/api/v1/${re}$`), keys, module: await import(path.join(base, f)) };
    }),
  );
}

const routes = await loadRoutes();
const bridge = http.createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
  const body = Buffer.concat(chunks);
  hits.push({
    method: req.method ?? '',
    path: url.pathname,
    key: (req.headers['idempotency-key'] as string) ?? null,
    body: body.toString('latin1'),
  });
  const route = hideBatches && url.pathname.startsWith('/api/v1/batches') ? undefined : routes.find((r) => r.pattern.test(url.pathname));
  const handler = route?.module[req.method ?? 'GET'];
  if (!route || !handler) {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found","message":"No such route."}}');
    return;
  }
  const m = route.pattern.exec(url.pathname)!;
  const params = Object.fromEntries(route.keys.map((k, i) => [k, decodeURIComponent(m[i + 1]!)]));
  const headers = new Headers(req.headers as Record<string, string>);
  const request = new Request(url, { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body });
  const answer = await headerStore.run(headers, () => handler(request, { params: Promise.resolve(params) }));
  res.writeHead(answer.status, Object.fromEntries(answer.headers));
  res.end(Buffer.from(await answer.arrayBuffer()));
});
await new Promise<void>((r) => bridge.listen(0, '127.0.0.1', r));
const server = `http://127.0.0.1:${(bridge.address() as AddressInfo).port}`;

let token = '';
const inputs = path.join(dataDir, 'inputs');

function cli(
  args: string[],
  extraEnv: Record<string, string> = {},
): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
} {
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/cli/proofsheet.mjs'), ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      PROOFSHEET_SERVER: server,
      PROOFSHEET_TOKEN: token,
      PROOFSHEET_POLL_MS: '100',
      XDG_CONFIG_HOME: dataDir,
      ...extraEnv,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

const batchArgs = (instruction: string, out: string) => [
  'batch',
  inputs,
  '--instruction',
  instruction,
  '--target',
  ENGINE,
  '--out',
  out,
  '--json',
];
const readState = (out: string): BatchState | null => {
  try {
    return JSON.parse(readFileSync(path.join(out, '.proofsheet-batch.json'), 'utf8')) as BatchState;
  } catch {
    return null;
  }
};

beforeAll(async () => {
  token = (await createToken(ownerContext(), { name: 'cli', scopes: ['run'] })).token;
  await mkdir(inputs, { recursive: true });
  for (let i = 0; i < COUNT; i++) {
    await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: i * 5, g: 255 - i * 5, b: (i * 37) % 256 } } })
      .png()
      .toFile(path.join(inputs, `shot-${String(i).padStart(2, '0')}.png`));
  }
  startWorker();
  startBatchFeeder();
});

afterAll(async () => {
  await stopBatchFeeder();
  await stopWorker();
  await new Promise((r) => bridge.close(r));
});

describe('proofsheet CLI against /api/v1', () => {
  it('explains itself and refuses a bad token with exit code 3', async () => {
    const help = await cli(['--help']).done;
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:[\s\S]*3 {2}authentication/);
    const saved = token;
    token = `ps_${'a'.repeat(12)}_${'b'.repeat(32)}`;
    const refused = await cli(['status']).done;
    token = saved;
    expect(refused.code).toBe(3);
  });

  it('logs in, runs one image, reports its status and downloads it again', async () => {
    const home = path.join(dataDir, 'home');
    const env = { PROOFSHEET_SERVER: '', PROOFSHEET_TOKEN: '', XDG_CONFIG_HOME: home };
    const login = await cli(['login', '--server', server, '--token', token, '--json'], env).done;
    expect(login.code).toBe(0);
    const config = path.join(home, 'proofsheet', 'config.json');
    expect(statSync(config).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(config, 'utf8'))).toEqual({ server, token });

    const out = path.join(dataDir, 'out-one');
    const image = path.join(inputs, 'shot-00.png');
    const run = await cli(['run', image, '-i', 'make it gold', '-t', ENGINE, '-n', '2', '--seed', '5', '-o', out, '--json'], env).done;
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout) as { run: { id: string }; files: { file: string }[] };
    expect(r.files).toHaveLength(2);
    for (const f of r.files) expect(path.basename(f.file)).toMatch(new RegExp(`^${r.run.id}-offline_engine-v1-\\d+(-1)?\\.png$`));
    // Same inputs, same Idempotency-Key: the same run, not a second one.
    const again = await cli(['run', image, '-i', 'make it gold', '-t', ENGINE, '-n', '2', '--seed', '5', '-o', out, '--json'], env).done;
    expect((JSON.parse(again.stdout) as { run: { id: string } }).run.id).toBe(r.run.id);
    expect(await db().run.count({ where: { instruction: 'make it gold' } })).toBe(1);

    const status = await cli(['status', r.run.id, '--json'], env).done;
    expect(JSON.parse(status.stdout)).toMatchObject({ kind: 'run', value: { id: r.run.id, finished: true } });
    const dl = await cli(['download', r.run.id, '-o', path.join(dataDir, 'out-dl')], env).done;
    expect(dl.code).toBe(0);
    expect(readdirSync(path.join(dataDir, 'out-dl'))).toHaveLength(2);
    expect((await cli(['status', 'nosuchthing'], env).done).code).toBe(5);
    expect((await cli(['run', image, '-i', 'x', '-t', 'no:such-target', '-o', out], env).done).code).toBe(2);
  });

  it(`runs a batch over ${COUNT} images and writes its manifest`, async () => {
    const out = path.join(dataDir, 'out-teal');
    const r = await cli(batchArgs('make it teal', out)).done;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ inputs: COUNT, outputs: COUNT, failed: 0 });
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as {
      items: { input: string; output: string; status: string; target: string }[];
    };
    expect(manifest.items).toHaveLength(COUNT);
    for (const item of manifest.items) {
      expect(item).toMatchObject({ status: 'succeeded', target: ENGINE });
      expect(existsSync(path.join(out, item.output))).toBe(true);
    }
    const csv = readFileSync(path.join(out, 'manifest.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('input,output,target,seed,costUsd,finishedAt,status,error');
    expect(csv).toHaveLength(COUNT + 1);
  });

  it.each([
    ['batch', 'make it red'],
    ['runs', 'make it blue'],
  ] as const)('resumes after being killed halfway without redoing finished items (%s mode)', async (mode, instruction) => {
    hideBatches = mode === 'runs';
    const out = path.join(dataDir, `out-${mode}`);
    const first = cli(batchArgs(instruction, out));
    let killed: BatchState | null = null;
    const exited = first.done.then(() => true);
    while (!killed) {
      const s = readState(out);
      if (s && Object.keys(s.downloads).length >= COUNT / 3) {
        first.child.kill('SIGKILL');
        await first.done;
        killed = readState(out);
      } else if (await Promise.race([exited, new Promise((r) => setTimeout(() => r(false), 20))])) {
        throw new Error('the CLI finished before it could be killed');
      }
    }
    const doneDownloads = Object.keys(killed.downloads);
    expect(doneDownloads.length).toBeLessThan(COUNT);
    const from = hits.length;

    const second = await cli(batchArgs(instruction, out)).done;
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    const again = hits.slice(from);

    // Uploads done before the kill are not sent again; nor are runs already created.
    const uploadedShas = new Set(Object.keys(killed.uploads));
    expect(again.filter((h) => h.path === '/api/v1/uploads' && uploadedShas.has(h.key ?? ''))).toEqual([]);
    const createdAssets = new Set(Object.keys(killed.runs).map((sha) => killed.uploads[sha]));
    const rerunCreates = again.filter((h) => h.method === 'POST' && (h.path === '/api/v1/runs' || h.path === '/api/v1/batches'));
    for (const h of rerunCreates) expect(createdAssets.has((JSON.parse(h.body) as { referenceIds: string[] }).referenceIds[0])).toBe(false);
    // Outputs already on disk are not fetched again.
    const outputGets = again.filter((h) => h.path.endsWith('/output')).map((h) => h.path.split('/')[6]);
    for (const vid of doneDownloads) expect(outputGets).not.toContain(vid);
    expect(outputGets).toHaveLength(COUNT - doneDownloads.length);

    // The server holds exactly one run per image for this batch, whichever way it was created.
    expect(killed.mode).toBe(mode);
    expect(await db().run.count({ where: { instruction } })).toBe(COUNT);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { items: { status: string }[] };
    expect(manifest.items.filter((i) => i.status === 'succeeded')).toHaveLength(COUNT);
    expect(readdirSync(out).filter((f) => f.endsWith('.png'))).toHaveLength(COUNT);
  });
});
