/**
 * History on PostgreSQL: the large data set (seeded into SQLite by scripts/seed, then copied
 * by scripts/db/copy-sqlite-to-postgres.mts into a fresh database, proofsheet_bench_<random>,
 * dropped afterwards) on the server at BENCH_DATABASE_URL, else TEST_DATABASE_URL, else
 * postgresql://postgres@127.0.0.1:5432/postgres.
 * - `history-pg`: the app queries the history section times on SQLite, through the pg adapter;
 * - `pages-pg`: the history pages from a production build under `next start` on that database
 *   (as the `pages` section does on SQLite; builds the app unless BENCH_NEXT_DIST names one).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { median, report, time } from './report.mts';

const RUNS = 10;
const TARGET = { max: 150 };
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

type Seeded = { dataDir: string; largeSessionId: string };

async function measure<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const [, result] = await time(fn); // warm-up: connection, prepared plans
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) ms.push((await time(fn))[0]);
  report(`${label}, median of ${RUNS}`, median(ms), 'ms', TARGET);
  return result;
}

/** Seeds (unless done), copies the set into a fresh Postgres database, runs `fn`, drops it. */
async function onPostgres(
  seeded: Seeded | undefined,
  fn: (url: string, seeded: Seeded, sqliteFile: string) => Promise<void>,
): Promise<void> {
  const { sqliteFile } = await import('@/lib/server/db/client');
  if (!seeded) {
    const { seedLarge } = await import('../seed/index.mts');
    seeded = await seedLarge({ force: true });
  }
  const file = sqliteFile();
  const server = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
  const url = new URL(server);
  const name = `proofsheet_bench_${randomBytes(4).toString('hex')}`;
  url.pathname = `/${name}`;
  try {
    const { copySqliteToPostgres } = await import('../db/copy-sqlite-to-postgres.mts');
    const copied = await copySqliteToPostgres(file, url.toString());
    report(`postgres: the large set copied over (${copied.tables.Variation ?? 0} variations)`, copied.ms, 'ms');
    await fn(url.toString(), seeded, file);
  } finally {
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.end();
  }
}

export async function benchHistoryPostgres(seeded?: Seeded): Promise<void> {
  await onPostgres(seeded, async (url, { largeSessionId }) => {
    const { resetEnvCache } = await import('@/lib/server/env');
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = url;
    resetEnvCache();
    try {
      const { db } = await import('@/lib/server/db/client');
      const { ownerContext } = await import('@/lib/server/context');
      const { listSessions } = await import('@/lib/server/services/sessions');
      const { listRuns } = await import('@/lib/server/services/runs');
      const { getLineagePage } = await import('@/lib/server/services/lineage');
      const ctx = ownerContext();
      await measure('pg: session list p1 (listSessions)', () => listSessions(ctx, {}));
      await measure('pg: session list, search "marble"', () => listSessions(ctx, { q: 'marble' }));
      await measure('pg: session list, filter provider=fal status=failed', () => listSessions(ctx, { provider: 'fal', status: 'failed' }));
      const page = await measure('pg: large session p1, 1,000 variations (listRuns)', () => listRuns(ctx, { sessionId: largeSessionId }));
      console.log(`  ${page.runs.length} runs / ${page.runs.reduce((n, r) => n + r.variations.length, 0)} variations on the page`);
      await measure('pg: large session lineage, first page (getLineagePage)', () => getLineagePage(ctx, { sessionId: largeSessionId }));
      await db().$disconnect();
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
      resetEnvCache();
    }
  });
}

/** `built`: a build this run just made (the pages section's); otherwise one is made here. */
export async function benchHistoryPagesPostgres(seeded?: Seeded, built?: string): Promise<void> {
  const { build, measureHistoryPages, pickIds, startServer } = await import('./history-pages.mts');
  await onPostgres(seeded, async (url, { dataDir, largeSessionId }, file) => {
    const ids = await pickIds(file, largeSessionId);
    let distDir = process.env.BENCH_NEXT_DIST;
    if (distDir && !fs.existsSync(path.join(ROOT, distDir, 'BUILD_ID'))) throw new Error(`BENCH_NEXT_DIST=${distDir} holds no build`);
    if (!distDir) {
      distDir = built ?? '.bench/next';
      if (!built) await build(distDir);
    }
    console.log('pages on PostgreSQL (the same build, DATABASE_URL set):');
    const server = await startServer(distDir, dataDir, { DATABASE_URL: url });
    try {
      await measureHistoryPages(server.base, ids, server.pid);
    } finally {
      await server.stop();
    }
  });
}
