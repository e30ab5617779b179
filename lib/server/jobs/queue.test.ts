import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

// The `postgres` project only (vitest.config.mts): pg-boss on the file's fresh database.
useTempDataDir();
const { announceDue, announceDueAt, consumeWakeups, FAILED_QUEUE, queue, recordDeadLetter, stopQueue, WAKE_QUEUE } = await import(
  './queue'
);

type JobRow = { name: string; data: Record<string, unknown>; singleton_key: string | null; start_after: Date; state: string };
async function jobs(name: string): Promise<JobRow[]> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<JobRow>('SELECT name, data, singleton_key, start_after, state FROM pgboss.job WHERE name = $1', [name]))
      .rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await stopQueue();
});

describe('the Postgres job queue (pg-boss)', () => {
  it('starts on the Postgres database', async () => {
    expect(await queue()).not.toBeNull();
  });

  it('keeps one waiting wake-up however often work is announced', async () => {
    await announceDue();
    await announceDue();
    const waiting = (await jobs(WAKE_QUEUE)).filter((j) => j.state === 'created' && j.singleton_key === 'due');
    expect(waiting).toHaveLength(1);
  });

  it('schedules the wake-up of a Retry-After for its time, once per variation', async () => {
    const at = new Date(Date.now() + 120_000);
    await announceDueAt('v-later', at);
    await announceDueAt('v-later', new Date(Date.now() + 130_000));
    const scheduled = (await jobs(WAKE_QUEUE)).filter((j) => j.singleton_key === 'at:v-later');
    expect(scheduled).toHaveLength(1);
    expect(Math.abs(scheduled[0]!.start_after.getTime() - at.getTime())).toBeLessThan(1000);
    expect(scheduled[0]!.data).toEqual({ variationId: 'v-later' });
  });

  it('records variations failed for good in the dead-letter queue', async () => {
    await recordDeadLetter([
      { variationId: 'v1', errorCode: 'interrupted' },
      { variationId: 'v2', errorCode: 'content_policy' },
    ]);
    const dead = await jobs(FAILED_QUEUE);
    expect(dead.map((j) => j.data).sort((a, b) => String(a.variationId).localeCompare(String(b.variationId)))).toEqual([
      { variationId: 'v1', errorCode: 'interrupted' },
      { variationId: 'v2', errorCode: 'content_policy' },
    ]);
  });

  it('wakes a consumer (a worker in another process) when work is announced', async () => {
    let woken = 0;
    expect(await consumeWakeups(() => woken++)).toBe(true);
    await announceDue();
    const end = Date.now() + 5000;
    while (woken === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(woken).toBeGreaterThan(0);
  });
});
