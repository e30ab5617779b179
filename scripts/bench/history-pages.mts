/**
 * History pages as the browser gets them (issue "The run engine", History pages at scale):
 * a production build under `next start`, on the large seeded data set, each page fetched with
 * the browser's Accept-Encoding. Per page: server time (median time to the last byte of the
 * document, and of each JSON request its first screen makes) and bytes on the wire (document
 * + those requests, compressed as sent), against ≤ 150 ms and ≤ 250 KB. The RSC payload of a
 * client-side navigation to the page is weighed too. Scripts and styles are listed apart: they
 * are the same for every page and cached after the first visit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kb, RSC_HEADERS, staticAssets, weigh, imageUrls, get } from './page-weight.mts';
import { report } from './report.mts';

const RUNS = 7;
const TIME = { max: 150 };
const SIZE = { max: 250 };
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type HistoryIds = { largeSessionId: string; variationId: string };

/** `redirect` pages answer 307, or 200 with the redirect in the stream (app/loading.tsx starts the stream first). */
type Page = { name: string; path: string; data?: string[]; redirect?: boolean };

/** The pages and, for each, the JSON its client code fetches before the first screen is complete. */
export function historyPages({ largeSessionId: s, variationId: v }: HistoryIds): Page[] {
  return [
    { name: 'home (redirect to the latest session)', path: '/', redirect: true },
    { name: 'large session: runs', path: `/s/${s}` },
    { name: 'large session: grid', path: `/s/${s}/grid`, data: [`/api/sessions/${s}/variations?limit=120`] },
    { name: 'large session: lineage', path: `/s/${s}/lineage`, data: [`/api/sessions/${s}/lineage`] },
    { name: 'variation provenance /v/<id>', path: `/v/${v}` },
    { name: 'compare tray', path: '/compare' },
    { name: 'trash', path: '/trash' },
    { name: 'settings', path: '/settings' },
  ];
}

export type PageFigures = {
  name: string;
  /** Median time to the last byte: the document, or its slowest first-screen request. */
  serverMs: number;
  /** The server's CPU per visit (document + first-screen requests), when its pid is known. */
  cpuMs?: number;
  /** Compressed, as sent: document + first-screen JSON. */
  wireKb: number;
  /** The same decompressed: what the browser parses. */
  rawKb: number;
  rscKb: number;
  rscMs: number;
  parts: string[];
};

const sum = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : a + b);

/**
 * Measures every page against a server already listening on `base`; with the server's `pid`
 * (Linux) also its CPU per visit, which a busy machine does not inflate as it does wall time.
 */
export async function measureHistoryPages(base: string, ids: HistoryIds, pid?: number, pages = historyPages(ids)): Promise<PageFigures[]> {
  const out: PageFigures[] = [];
  let statics: string[] = [];
  for (const page of pages) {
    const doc = await weigh(base + page.path, RUNS, {}, pid);
    if (!(page.redirect ? [200, 307] : [200]).includes(doc.status)) throw new Error(`${page.path} answered ${doc.status}`);
    const parts = [
      `document ${kb(doc.wireBytes).toFixed(1)} KB ${doc.encoding} (${kb(doc.bodyBytes).toFixed(0)} KB raw), TTFB ${doc.ttfbMs.toFixed(0)} ms, last byte ${doc.totalMs.toFixed(0)} ms${doc.cpuMs === undefined ? '' : `, CPU ${doc.cpuMs.toFixed(0)} ms`}`,
    ];
    let serverMs = doc.totalMs;
    let cpu = doc.cpuMs;
    let wire = doc.wireBytes;
    let raw = doc.bodyBytes;
    for (const url of page.data ?? []) {
      const d = await weigh(base + url, RUNS, { accept: 'application/json' }, pid);
      if (d.status !== 200) throw new Error(`${url} answered ${d.status}`);
      parts.push(
        `${url.replace(/^\/api\/sessions\/[^/]+/, '…')} ${kb(d.wireBytes).toFixed(1)} KB ${d.encoding} (${kb(d.bodyBytes).toFixed(0)} KB raw), ${d.totalMs.toFixed(0)} ms${d.cpuMs === undefined ? '' : `, CPU ${d.cpuMs.toFixed(0)} ms`}`,
      );
      serverMs = Math.max(serverMs, d.totalMs);
      cpu = sum(cpu, d.cpuMs);
      wire += d.wireBytes;
      raw += d.bodyBytes;
    }
    const images = imageUrls(doc.body);
    if (images.length > 0)
      parts.push(`${images.length} <img> in the document (${images.filter((u) => u.includes('/thumb')).length} thumbnails)`);
    // Next 16 answers an RSC request without its `_rsc` cache-buster with a redirect to one.
    const rsc = page.redirect ? undefined : await weigh(`${base + page.path}${page.path.includes('?') ? '&' : '?'}_rsc`, RUNS, RSC_HEADERS);
    if (rsc && rsc.status !== 200) throw new Error(`${page.path} (RSC) answered ${rsc.status}`);
    if (statics.length === 0 && !page.redirect) statics = staticAssets(doc.body);
    out.push({
      name: page.name,
      serverMs,
      cpuMs: cpu,
      wireKb: kb(wire),
      rawKb: kb(raw),
      rscKb: rsc ? kb(rsc.wireBytes) : 0,
      rscMs: rsc?.totalMs ?? 0,
      parts,
    });
  }
  let staticWire = 0;
  for (const s of statics) staticWire += (await get(base + s)).wireBytes;
  for (const f of out) {
    report(`pages: ${f.name}, server time (last byte, median of ${RUNS})`, f.serverMs, 'ms', TIME);
    if (f.cpuMs !== undefined) report('  server CPU per visit, all its requests (a busy machine inflates it less)', f.cpuMs, 'ms');
    report(`  transferred, compressed (${f.rawKb.toFixed(0)} KB decompressed)`, f.wireKb, 'KB', SIZE);
    if (f.rscKb > 0) report(`  client-side navigation to it: RSC payload (${f.rscMs.toFixed(0)} ms)`, f.rscKb, 'KB', SIZE);
    for (const p of f.parts) console.log(`    ${p}`);
  }
  report(`pages: scripts and styles, ${statics.length} files (cached after the first visit)`, kb(staticWire), 'KB');
  return out;
}

/** A variation of the large session with a path back to the originals (its run was forked). */
export async function pickIds(dbFile: string, largeSessionId: string): Promise<HistoryIds> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(dbFile, { readonly: true });
  try {
    const row = db
      .prepare(
        `SELECT v.id FROM Variation v JOIN Run r ON r.id = v.runId
         WHERE r.sessionId = ? AND r.parentVariationId IS NOT NULL AND r.deletedAt IS NULL AND v.deletedAt IS NULL AND v.outputAssetId IS NOT NULL
         ORDER BY r.number DESC LIMIT 1`,
      )
      .get(largeSessionId) as { id: string } | undefined;
    if (!row) throw new Error('the large session has no forked run');
    return { largeSessionId, variationId: row.id };
  } finally {
    db.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** `next start` on the build in `distDir`, with its own data folder; resolves once healthy. */
export async function startServer(
  distDir: string,
  dataDir: string,
  extraEnv: Record<string, string> = {},
): Promise<{ base: string; pid?: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NEXT_DIST_DIR: distDir,
      DATA_DIR: dataDir,
      NEXT_TELEMETRY_DISABLED: '1',
      WORKER_ENABLED: '0',
      NODE_ENV: 'production',
      ...extraEnv,
    },
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      if ((await get(`${base}/api/health`)).status === 200) return { base, pid: child.pid, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error('next start did not become healthy in 60 s');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The bench section: builds the app into .bench/next (unless BENCH_NEXT_DIST names a build to
 * reuse), seeds the large set into its own data folder unless the history section just did,
 * starts `next start` on it and weighs the pages.
 */
export async function benchHistoryPages(seeded?: { dataDir: string; largeSessionId: string }): Promise<void> {
  const { sqliteFile } = await import('@/lib/server/db/client');
  if (!seeded) {
    const { seedLarge } = await import('../seed/index.mts');
    seeded = await seedLarge({ force: true });
  }
  const ids = await pickIds(sqliteFile(), seeded.largeSessionId);

  let distDir = process.env.BENCH_NEXT_DIST;
  if (distDir && !fs.existsSync(path.join(ROOT, distDir, 'BUILD_ID'))) throw new Error(`BENCH_NEXT_DIST=${distDir} holds no build`);
  if (!distDir) {
    distDir = '.bench/next';
    const t0 = performance.now();
    await build(distDir);
    report('pages: next build (production, into .bench/next; BENCH_NEXT_DIST=<dir> reuses one)', performance.now() - t0, 'ms');
  } else console.log(`pages: reusing the build in ${distDir}`);
  const server = await startServer(distDir, seeded.dataDir);
  try {
    await measureHistoryPages(server.base, ids, server.pid);
  } finally {
    await server.stop();
  }
}

/** `next build` into `distDir`, leaving tsconfig.json as it was (the build adds its types folder). */
export async function build(distDir: string): Promise<void> {
  const tsconfig = path.join(ROOT, 'tsconfig.json');
  const before = fs.readFileSync(tsconfig, 'utf8');
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'build'], {
        cwd: ROOT,
        env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let log = '';
      child.stdout!.on('data', (c) => (log += c));
      child.stderr!.on('data', (c) => (log += c));
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (${code}):\n${log.slice(-4000)}`))));
    });
  } finally {
    if (fs.readFileSync(tsconfig, 'utf8') !== before) fs.writeFileSync(tsconfig, before);
  }
}
