import 'server-only';
import { databaseConfig, db } from './db/client';
import { readMigrations } from './db/migrate-core';
import { postgresMigrationsDir } from './db/postgres';
import { migrationsDir } from './db/sqlite';
import { redact } from './redact';
import { blobKey, blobStore } from './storage';
import { workerStatus } from './jobs/worker';

/**
 * Readiness (GET /api/health?ready=1): may this process be sent traffic? Liveness (plain
 * /api/health) only says the process answers; a load balancer or orchestrator restarts on
 * liveness and routes on readiness. Each check is bounded, so a hung database or bucket makes
 * the answer "not ready" within CHECK_TIMEOUT_MS, never a hung probe.
 */
const CHECK_TIMEOUT_MS = 3000;

export type Check = { ok: boolean; ms: number; error?: string };
export type Readiness = { ok: boolean; checks: Record<'database' | 'migrations' | 'storage' | 'worker', Check> };

/** The endpoint is public (probes come unauthenticated): a failure's details go to the log only. */
async function timed(name: string, run: () => Promise<void>): Promise<Check> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (e) {
    const message = redact(e instanceof Error ? e.message : String(e));
    console.error(`[health] ${name} check failed: ${message}`);
    const timedOut = message.startsWith('no answer within');
    return {
      ok: false,
      ms: Math.round(performance.now() - started),
      error: timedOut || message.startsWith('not applied') ? message : 'failed (see the server log)',
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Every migration shipped with this build is recorded as applied (none pending, none failed). */
async function migrationsApplied(): Promise<void> {
  const config = databaseConfig();
  const files =
    config.kind === 'sqlite' ? readMigrations(migrationsDir(), 'sqlite') : readMigrations(postgresMigrationsDir(), 'postgresql');
  const rows = await db().$queryRawUnsafe<{ migration_name: string }[]>(
    `SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`,
  );
  const applied = new Set(rows.map((r) => r.migration_name));
  const pending = files.filter((f) => !applied.has(f.name)).map((f) => f.name);
  if (pending.length > 0) throw new Error(`not applied: ${pending.join(', ')}`);
}

export async function readiness(): Promise<Readiness> {
  const [database, migrations, storage] = await Promise.all([
    timed('database', async () => {
      await db().$queryRawUnsafe('SELECT 1');
    }),
    timed('migrations', migrationsApplied),
    // A key nothing is stored under: a reachable store answers "none" (a missing bucket, bad
    // credentials or a full outage throw).
    timed('storage', async () => {
      await blobStore().head(blobKey('0'.repeat(64)));
    }),
  ]);
  // A process that received SIGTERM takes no new work; it should get no new requests either.
  const w = workerStatus();
  const worker: Check = w.draining ? { ok: false, ms: 0, error: 'shutting down' } : { ok: true, ms: 0 };
  const checks = { database, migrations, storage, worker };
  return { ok: Object.values(checks).every((c) => c.ok), checks };
}
