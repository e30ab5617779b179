import 'server-only';
import PgBoss from 'pg-boss';
import { databaseConfig, prepareDatabaseAsync } from '../db/client';

/**
 * The job queue on PostgreSQL: pg-boss (10.x, the last line that supports Node 20; 11+ needs
 * Node 22). Why pg-boss rather than graphile-worker: it is a plain library over `pg` with
 * queues, per-key singletons, delayed jobs, retries with backoff and dead-letter queues as
 * options, and needs no separate process or migrations tool of its own.
 *
 * What it carries, and what it does not. The Variation row stays the truth and its claim (one
 * conditional UPDATE that counts the vendor's live leases in SQL, fenced by a lease token) stays
 * the gate, so every rule of the run engine holds as on SQLite: `submittedAt` is stored before
 * a submit, outputs are stored before anything can fail, nothing accepted is submitted again,
 * and vendor limits hold across processes. pg-boss carries the wake-ups and the schedule:
 * - `proofsheet-wake` (policy `short`: at most one waiting job per singleton key): sent when
 *   work becomes due (a submit, a retry, recovery) and, with `startAfter`, for the moment a
 *   Retry-After or a backoff ends (key `at:<variation id>`). Any worker that fetches it runs its
 *   claim loop at once, instead of at its next idle tick. A worker that dies holding one lets
 *   it expire and be retried (retryLimit, retryBackoff) by another.
 * - `proofsheet-failed`: the dead letter. Every variation that failed for good (no retry left,
 *   not safe to resubmit, interrupted) is recorded there with its error code, for operators
 *   (`SELECT data FROM pgboss.job WHERE name = 'proofsheet-failed'`), kept 14 days.
 * The SQLite mode has no queue: the in-process lease loop is the queue. Every call here is a
 * no-op there, and on Postgres never throws: without the queue, the claim loop's idle tick
 * (every 5 s with the queue, 1 s without) still finds due work, only later.
 */
export const WAKE_QUEUE = 'proofsheet-wake';
export const FAILED_QUEUE = 'proofsheet-failed';

type State = { key: string; boss: Promise<PgBoss | null> };
const globalForQueue = globalThis as unknown as { proofsheetQueue?: State };

function log(message: string): void {
  console.error(`[queue] ${message}`);
}

/** The process's pg-boss on the Postgres database, started on first use; null on SQLite or when it cannot start. */
export function queue(): Promise<PgBoss | null> {
  const config = databaseConfig();
  if (config.kind !== 'postgres') return Promise.resolve(null);
  const current = globalForQueue.proofsheetQueue;
  if (current?.key === config.url) return current.boss;
  if (current) void current.boss.then((b) => b?.stop({ graceful: false, wait: false })).catch(() => {});
  const boss = (async () => {
    // The database exists and is migrated first (it may be created by that), as at start.
    await prepareDatabaseAsync();
    const b = new PgBoss({ connectionString: config.url, schema: 'pgboss', max: 3, application_name: 'proofsheet-queue' });
    b.on('error', (e) => log(e instanceof Error ? e.message : String(e)));
    await b.start();
    await b.createQueue(FAILED_QUEUE, { name: FAILED_QUEUE, policy: 'standard', retentionDays: 14 });
    await b.createQueue(WAKE_QUEUE, {
      name: WAKE_QUEUE,
      policy: 'short',
      retryLimit: 3,
      retryDelay: 1,
      retryBackoff: true,
      expireInSeconds: 60,
      retentionMinutes: 60,
    });
    return b;
  })().catch((e) => {
    log(`could not start (claims still run on the idle tick): ${e instanceof Error ? e.message : e}`);
    globalForQueue.proofsheetQueue = undefined;
    return null;
  });
  globalForQueue.proofsheetQueue = { key: config.url, boss };
  return boss;
}

/** Work became due now (a submit, a retry, recovery): wake a worker in whichever process. */
export async function announceDue(): Promise<void> {
  try {
    await (await queue())?.send(WAKE_QUEUE, {}, { singletonKey: 'due' });
  } catch (e) {
    log(`could not announce work: ${e instanceof Error ? e.message : e}`);
  }
}

/** A variation becomes due at `at` (Retry-After, backoff): a wake-up scheduled for then. */
export async function announceDueAt(variationId: string, at: Date): Promise<void> {
  try {
    await (await queue())?.send(WAKE_QUEUE, { variationId }, { singletonKey: `at:${variationId}`, startAfter: at });
  } catch (e) {
    log(`could not schedule a retry: ${e instanceof Error ? e.message : e}`);
  }
}

/** The dead letter: a variation failed for good. */
export async function recordDeadLetter(entries: { variationId: string; errorCode: string | null }[]): Promise<void> {
  if (entries.length === 0) return;
  try {
    const b = await queue();
    if (!b) return;
    await b.insert(entries.map((data) => ({ name: FAILED_QUEUE, data })));
  } catch (e) {
    log(`could not record a failed variation: ${e instanceof Error ? e.message : e}`);
  }
}

/** Runs `wake` whenever a wake-up is fetched (the worker's claim loop). False on SQLite. */
export async function consumeWakeups(wake: () => void): Promise<boolean> {
  const b = await queue();
  if (!b) return false;
  try {
    await b.work(WAKE_QUEUE, { batchSize: 16, pollingIntervalSeconds: 0.5 }, async () => {
      wake();
    });
    return true;
  } catch (e) {
    log(`could not consume wake-ups: ${e instanceof Error ? e.message : e}`);
    return false;
  }
}

/** Stops this process's consumer and connections (worker shutdown, tests). */
export async function stopQueue(): Promise<void> {
  const current = globalForQueue.proofsheetQueue;
  globalForQueue.proofsheetQueue = undefined;
  const b = await current?.boss.catch(() => null);
  await b?.stop({ graceful: true, wait: true, timeout: 5000 }).catch(() => {});
}
