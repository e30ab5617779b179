import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

// The `postgres` project only (vitest.config.mts): two elections, each on its own session as two
// processes would be; killing a session's backend is what Postgres sees when a process dies.
useTempDataDir();
const { startLeaderElection } = await import('./leader');
const { spawnWorker, stopAllWorkers } = await import('./testing/worker-process');
const { db } = await import('../db/client');

const KEY: [number, number] = [720_143, 99];
const RETRY_MS = 150;

type Instance = { name: string; leads: number; loses: number; election: ReturnType<typeof startLeaderElection> };

function instance(name: string): Instance {
  const me: Instance = { name, leads: 0, loses: 0, election: undefined as never };
  me.election = startLeaderElection({
    url: process.env.DATABASE_URL!,
    key: KEY,
    retryMs: RETRY_MS,
    log: () => {},
    onLead: () => {
      me.leads++;
    },
    onLose: () => {
      me.loses++;
      return undefined;
    },
  });
  return me;
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The backend pid holding our lock, read from pg_locks. */
async function holderPid(admin: pg.Client): Promise<number | null> {
  const { rows } = await admin.query<{ pid: number }>(
    // Advisory locks belong to a database; other test files' databases hold the same key at once.
    `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND granted
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    KEY,
  );
  return rows[0]?.pid ?? null;
}

const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
const instances: Instance[] = [];

afterAll(async () => {
  await stopAllWorkers();
  await Promise.all(instances.map((i) => i.election.stop()));
  await admin.end();
});

describe('leader election (session advisory lock)', () => {
  it('lets exactly one of two lead; a leader whose connection drops stops leading; a stopped one hands over', async () => {
    // The app creates the file's database on first use.
    await db().$queryRaw`SELECT 1`;
    await admin.connect();
    const a = instance('a');
    const b = instance('b');
    instances.push(a, b);
    await until(() => a.election.isLeader() || b.election.isLeader());
    // Several retry periods later, still one leader and the other never led.
    await new Promise((r) => setTimeout(r, RETRY_MS * 5));
    const [leader, other] = a.election.isLeader() ? [a, b] : [b, a];
    expect(other.election.isLeader()).toBe(false);
    expect([leader.leads, other.leads]).toEqual([1, 0]);

    // The leader's session ends under it (network, server restart): Postgres releases the
    // lock, and the leader stops leading as soon as it sees, whoever takes the lock next.
    const pid = await holderPid(admin);
    expect(pid).not.toBeNull();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await until(() => leader.loses === 1);
    await until(() => a.election.isLeader() !== b.election.isLeader());
    await new Promise((r) => setTimeout(r, RETRY_MS * 5));
    expect(a.election.isLeader()).not.toBe(b.election.isLeader());
    expect(await holderPid(admin)).not.toBe(pid);

    // The leader stops (SIGTERM, deploy): it lets go, and the other takes over.
    const [now, next] = a.election.isLeader() ? [a, b] : [b, a];
    await now.election.stop();
    expect(now.election.isLeader()).toBe(false);
    await until(() => next.election.isLeader());
  });

  it('elects one of two `npm run worker` processes; kill -9 the leader and the other takes over', async () => {
    const workers = [spawnWorker(), spawnWorker()];
    const first = await Promise.any(workers.map((w) => w.waitFor(/\[leader\] leading/, 60_000).then(() => w)));
    const second = workers.find((w) => w !== first)!;
    await second.waitFor(/\[worker\] running/, 60_000);
    // Past the other's first tries (every 3 s): it has not led.
    await new Promise((r) => setTimeout(r, 4000));
    expect(second.output().some((l) => l.includes('[leader] leading'))).toBe(false);
    await first.kill9();
    await second.waitFor(/\[leader\] leading/, 15_000);
  }, 120_000);
});
