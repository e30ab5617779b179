import 'server-only';
import pg from 'pg';

/**
 * One leader among any number of processes on PostgreSQL, for the work that must run once
 * (housekeeping, the batch feeder: ./housekeeping.ts). Chosen over making every housekeeping
 * step concurrency-safe on its own: the purge and the garbage collector delete files whose
 * rows they just read, and the feeder reads a batch's in-flight count before claiming items,
 * so two of each at once would need a lock per step anyway; one lock for all of them is
 * simpler to reason about, and their conditional updates stay as a second line of defence.
 *
 * The lock is a session-level `pg_try_advisory_lock` on a dedicated connection (not the pool,
 * whose connections come and go): https://www.postgresql.org/docs/current/explicit-locking.html
 * ("a session-level advisory lock is held until explicitly released or the session ends").
 * A killed leader's connection ends and Postgres releases the lock; the others try again every
 * `retryMs`. The leader checks its connection as often: if it dropped (the lock may be
 * someone else's by now) it stops leading at once, so two leaders overlap at most `retryMs`.
 */
export const LEADER_LOCK_KEY: [number, number] = [720_143, 1];
const RETRY_MS = 3000;

export type LeaderElection = {
  isLeader(): boolean;
  /** Gives up the lock (if held) and stops trying; the next process takes over at its next try. */
  stop(): Promise<void>;
};

export type LeaderOptions = {
  url: string;
  key?: [number, number];
  retryMs?: number;
  onLead: () => void;
  /** Called when leadership ends (stop, or the connection dropped); awaited before the lock is released. */
  onLose: () => Promise<unknown> | undefined;
  log?: (message: string) => void;
};

export function startLeaderElection(options: LeaderOptions): LeaderElection {
  const [k1, k2] = options.key ?? LEADER_LOCK_KEY;
  const retryMs = options.retryMs ?? RETRY_MS;
  const log = options.log ?? ((m: string) => console.log(`[leader] ${m}`));
  let client: pg.Client | null = null;
  let leading = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let tick: Promise<void> = Promise.resolve();

  const dropClient = () => {
    const c = client;
    client = null;
    c?.end().catch(() => {});
  };

  const lose = async (why: string) => {
    if (!leading) return;
    leading = false;
    log(`no longer leading (${why})`);
    await Promise.resolve(options.onLose()).catch(() => {});
  };

  const attempt = async () => {
    try {
      if (!client) {
        // The session that held the lock is gone, and the lock with it.
        await lose('connection ended');
        const c = new pg.Client({ connectionString: options.url, keepAlive: true });
        // A dropped connection surfaces here and in the next query; the next tick reconnects.
        c.on('error', () => {});
        c.on('end', () => {
          if (client === c) client = null;
        });
        client = c;
        await c.connect();
      }
      const c = client;
      if (leading) {
        // Still ours: the connection that holds the lock is alive.
        await c.query('SELECT 1');
        if (client !== c) throw new Error('connection ended');
        return;
      }
      const { rows } = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [k1, k2]);
      if (rows[0]?.ok && !stopped) {
        leading = true;
        log(`leading (pid ${process.pid})`);
        options.onLead();
      }
    } catch (e) {
      dropClient();
      await lose(`connection lost: ${e instanceof Error ? e.message : e}`);
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      tick = attempt().finally(schedule);
    }, retryMs);
    // Leadership alone must not keep a process alive.
    timer.unref();
  };

  tick = attempt().finally(schedule);

  return {
    isLeader: () => leading,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await tick;
      await lose('stopped');
      // Closing the session releases the lock; the unlock first says so without waiting for it.
      await client?.query('SELECT pg_advisory_unlock($1, $2)', [k1, k2]).catch(() => {});
      dropClient();
    },
  };
}
