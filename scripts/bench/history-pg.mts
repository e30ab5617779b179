/**
 * History on PostgreSQL: the large data set (seeded into SQLite by scripts/seed, then copied
 * by scripts/db/copy-sqlite-to-postgres.mts into a fresh database) and the same app queries
 * the history section times on SQLite, now through the pg adapter. The server is
 * BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres;
 * the bench's database (proofsheet_bench_<random>) is dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { median, report, time } from './report.mts';

const RUNS = 10;
const TARGET = { max: 150 };

async function measure<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const [, result] = await time(fn); // warm-up: connection, prepared plans
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) ms.push((await time(fn))[0]);
  report(`${label}, median of ${RUNS}`, median(ms), 'ms', TARGET);
  return result;
}

export async function benchHistoryPostgres(seeded?: { dataDir: string; largeSessionId: string }): Promise<void> {
  const { resetEnvCache } = await import('@/lib/server/env');
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
  const { copySqliteToPostgres } = await import('../db/copy-sqlite-to-postgres.mts');
  const copied = await copySqliteToPostgres(file, url.toString());
  report(`history-pg: copy the large set to Postgres (${copied.tables.Variation ?? 0} variations)`, copied.ms, 'ms');

  const saved = process.env.DATABASE_URL;
  process.env.DATABASE_URL = url.toString();
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
    const page = await measure('pg: large session p1, 1,000 variations (listRuns)', () =>
      listRuns(ctx, { sessionId: seeded!.largeSessionId }),
    );
    console.log(`  ${page.runs.length} runs / ${page.runs.reduce((n, r) => n + r.variations.length, 0)} variations on the page`);
    await measure('pg: large session lineage, first page (getLineagePage)', () =>
      getLineagePage(ctx, { sessionId: seeded!.largeSessionId }),
    );
    await db().$disconnect();
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
    resetEnvCache();
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.end();
  }
}
