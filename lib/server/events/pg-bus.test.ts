import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createPgBus, type PgEventBus } from './pg-bus';
import type { ChangeEvent } from './types';

// Runs in the `postgres` project only (vitest.config.mts): two buses on one server, as two
// processes (a worker, a web server) would have.
const url = () => inject('postgresTestServer');
const open: PgEventBus[] = [];
const bus = (channel: string) => {
  const b = createPgBus({ url: url(), channel, log: () => {} });
  open.push(b);
  return b;
};
const channel = () => `proofsheet_test_${randomBytes(4).toString('hex')}`;
const event = (sessionId: string, variationId: string): ChangeEvent => ({ sessionId, runId: 'r1', variationId, status: 'running' });

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((b) => b.close()));
});

describe('the Postgres event bus (LISTEN/NOTIFY)', () => {
  it("two buses hear each other's events, each once, only for the sessions subscribed", async () => {
    const ch = channel();
    const web = bus(ch);
    const worker = bus(ch);
    const heardWeb: ChangeEvent[] = [];
    const heardWorker: ChangeEvent[] = [];
    web.subscribe('s1', (e) => heardWeb.push(e));
    worker.subscribe('s1', (e) => heardWorker.push(e));
    await Promise.all([web.listening(), worker.listening()]);

    worker.publish(event('s1', 'v1'));
    worker.publish(event('s2', 'v2')); // nobody listens to s2
    web.publish(event('s1', 'v3'));
    await until(() => heardWeb.length >= 2 && heardWorker.length >= 2);
    await new Promise((r) => setTimeout(r, 200)); // a duplicate would arrive by now
    expect(heardWeb.map((e) => e.variationId).sort()).toEqual(['v1', 'v3']);
    expect(heardWorker.map((e) => e.variationId).sort()).toEqual(['v1', 'v3']);
    expect(heardWeb.find((e) => e.variationId === 'v1')).toEqual(event('s1', 'v1'));
  });

  it('a burst larger than one NOTIFY payload arrives whole and in order', async () => {
    const ch = channel();
    const web = bus(ch);
    const worker = bus(ch);
    const heard: string[] = [];
    web.subscribe('s1', (e) => heard.push(e.variationId ?? ''));
    await web.listening();
    const ids = Array.from({ length: 600 }, (_, i) => `variation-${String(i).padStart(4, '0')}-${randomBytes(8).toString('hex')}`);
    for (const id of ids) worker.publish(event('s1', id));
    await until(() => heard.length >= ids.length);
    expect(heard).toEqual(ids);
  });

  it('reconnects after its listening connection is cut, and tells open pages to read again', async () => {
    const ch = channel();
    const web = bus(ch);
    const worker = bus(ch);
    const heard: ChangeEvent[] = [];
    web.subscribe('s1', (e) => heard.push(e));
    await web.listening();
    const admin = new pg.Client({ connectionString: url() });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()`,
        [`LISTEN "${ch}"`],
      );
      expect(rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    // The "session changed" after the reconnect, then live events again.
    await until(() => heard.some((e) => e.variationId === null), 10_000);
    worker.publish(event('s1', 'after'));
    await until(() => heard.some((e) => e.variationId === 'after'));
  });

  it('publishing never throws, even with the database unreachable', async () => {
    const b = createPgBus({ url: 'postgresql://nobody@127.0.0.1:1/none', channel: channel(), log: () => {} });
    open.push(b);
    const heard: ChangeEvent[] = [];
    b.subscribe('s1', (e) => heard.push(e));
    expect(() => b.publish(event('s1', 'v1'))).not.toThrow();
    // Subscribers in this process still hear it.
    expect(heard).toHaveLength(1);
  });
});
