import { beforeAll, describe, expect, it, vi } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
const { db } = await import('../db/client');
const { contextFor, ownerContext } = await import('../context');
const { ledgerStats } = await import('./stats');
const { ledgerCsv, LEDGER_CSV_COLUMNS } = await import('./csv');

const mine = ownerContext();
const theirs = contextFor({ kind: 'owner', workspaceId: 'other' });
const NOW = new Date('2026-12-02T12:00:00.000Z');
const ENGINE = 'offline:engine-v1';
const at = (msAgo: number) => new Date(NOW.getTime() - msAgo);
const HOUR = 3600_000;
let n = 0;

async function run(workspaceId: string, kind: 'edit' | 'probe', rows: Record<string, unknown>[]) {
  const sessionId = `s${++n}`;
  await db().session.create({ data: { id: sessionId, workspaceId, title: 'Ledger test' } });
  const runId = `r${n}`;
  await db().run.create({ data: { id: runId, sessionId, number: 1, instruction: '=cmd|calc', params: '{}', targets: '[]', kind } });
  await db().variation.createMany({
    data: rows.map((r, index) => ({
      id: `${runId}v${index}`,
      runId,
      targetId: ENGINE,
      provider: 'offline',
      model: 'engine-v1',
      index,
      seed: 1,
      ...r,
    })),
  });
}

/** A delivered image: queued `ago` ms before NOW, waited `queue` ms, the provider took `provider` ms. */
const delivered = (ago: number, queue: number, provider: number, extra: Record<string, unknown> = {}) => ({
  status: 'succeeded',
  queuedAt: at(ago),
  submittedAt: at(ago - queue),
  finishedAt: at(ago - queue - provider),
  costUsd: 0.01,
  costSource: 'estimate',
  ...extra,
});

beforeAll(async () => {
  await db().workspace.create({ data: { id: 'other', name: 'Another team' } });
  // 20 delivered images in the last 24 h: queue 100..2000 ms, provider 1000..20000 ms.
  await run(
    'local',
    'edit',
    Array.from({ length: 20 }, (_, i) => delivered(HOUR + i * 1000, (i + 1) * 100, (i + 1) * 1000, i === 0 ? { attempt: 1 } : {})),
  );
  await run('local', 'edit', [
    { status: 'failed', queuedAt: at(2 * HOUR), finishedAt: at(2 * HOUR - 50), errorCode: 'timeout', costUsd: 0, costSource: 'none' },
    { status: 'failed', queuedAt: at(2 * HOUR), errorCode: 'content_blocked', blockKind: 'prompt-blocked', generation: 1 },
    { status: 'cancelled', queuedAt: at(2 * HOUR) },
    { status: 'queued', queuedAt: at(2 * HOUR) },
    // Ten days ago: only in the 30-day and all-time windows.
    delivered(10 * 24 * HOUR, 5, 99_000, { blockKind: 'output-blocked' }),
  ]);
  await run('local', 'probe', [delivered(3 * HOUR, 1, 500, { costUsd: 0.5, costSource: 'provider' })]);
  // Another workspace's work never shows.
  await run('other', 'edit', [delivered(HOUR, 1, 1, { costUsd: 100 })]);
});

describe('ledgerStats', () => {
  it('gives per-target counts, outcomes, retries, blocks and cost for the window', async () => {
    const s = await ledgerStats(mine, { window: '24h', probes: 'exclude' }, NOW);
    expect(s.targets).toHaveLength(1);
    const t = s.targets[0]!;
    expect(t).toMatchObject({ targetId: ENGINE, count: 24, succeeded: 20, failed: 2, cancelled: 1, pending: 1, retried: 2 });
    expect(t.successRate).toBeCloseTo(20 / 22);
    expect(t.failuresByCode).toEqual([
      { code: 'content_blocked', count: 1 },
      { code: 'timeout', count: 1 },
    ]);
    expect(t.blocked).toEqual({ promptBlocked: 1, outputBlocked: 0 });
    expect(t.costUsd).toBeCloseTo(0.2);
    expect(t.costUnknown).toBe(1);
    // Hourly buckets in the 24-hour window, spelled as the chart parses them on both databases.
    expect(s.daily).toEqual([
      { day: '2026-12-02T10', total: 23, succeeded: 19, failed: 2 },
      { day: '2026-12-02T11', total: 1, succeeded: 1, failed: 0 },
    ]);
  });

  it('takes nearest-rank percentiles of delivered images only', async () => {
    const t = (await ledgerStats(mine, { window: '24h', probes: 'exclude' }, NOW)).targets[0]!;
    // 20 values 100..2000: ranks 10, 19, 20.
    expect(t.queueMs).toEqual({ p50: 1000, p95: 1900, p99: 2000 });
    expect(t.providerMs).toEqual({ p50: 10_000, p95: 19_000, p99: 20_000 });
    expect(t.totalMs).toEqual({ p50: 11_000, p95: 20_900, p99: 22_000 });
  });

  it('includes, excludes or isolates probes, and widens with the window', async () => {
    const withProbes = await ledgerStats(mine, { window: '24h', probes: 'include' }, NOW);
    expect(withProbes.targets[0]!.count).toBe(25);
    expect(withProbes.targets[0]!.costUsd).toBeCloseTo(0.7);
    const only = await ledgerStats(mine, { window: '24h', probes: 'only' }, NOW);
    expect(only.targets[0]).toMatchObject({ count: 1, succeeded: 1, providerMs: { p50: 500, p95: 500, p99: 500 } });
    const month = await ledgerStats(mine, { window: '30d', probes: 'exclude' }, NOW);
    expect(month.targets[0]).toMatchObject({ count: 25, blocked: { promptBlocked: 1, outputBlocked: 1 } });
    expect(month.targets[0]!.providerMs.p99).toBe(99_000);
    expect(month.daily.map((d) => d.day)).toEqual(['2026-11-22', '2026-12-02']);
    expect(month.daily[1]).toEqual({ day: '2026-12-02', total: 24, succeeded: 20, failed: 2 });
  });

  it('sees only its own workspace', async () => {
    const other = await ledgerStats(theirs, { window: 'all', probes: 'include' }, NOW);
    expect(other.targets).toHaveLength(1);
    expect(other.targets[0]).toMatchObject({ count: 1, costUsd: 100 });
    const empty = await ledgerStats(contextFor({ kind: 'owner', workspaceId: 'nobody' }), { window: 'all', probes: 'include' }, NOW);
    expect(empty.targets).toEqual([]);
  });

  it('counts again, scoped, when another workspace appears between its first look and the figures', async () => {
    // The first look (outside the batch) sees no other workspace; the batch's own look does.
    const spy = vi.spyOn(db().session, 'findFirst').mockImplementationOnce((() => Promise.resolve(null)) as never);
    try {
      const s = await ledgerStats(mine, { window: 'all', probes: 'include' }, NOW);
      expect(spy).toHaveBeenCalledTimes(3); // first look, the batch's look, the scoped batch's look
      expect(s.targets[0]!.costUsd).toBeLessThan(100); // the other workspace's $100 is not counted
    } finally {
      spy.mockRestore();
    }
  });
});

describe('ledgerCsv', () => {
  it('writes one row per variation of the window with durations, cost and run kind', async () => {
    let text = '';
    for await (const chunk of ledgerCsv(mine, { window: '24h', probes: 'include' }, NOW)) text += chunk;
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(LEDGER_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + 25);
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [LEDGER_CSV_COLUMNS[i], v])));
    expect(rows.filter((r) => r.run_kind === 'probe')).toHaveLength(1);
    const timeout = rows.find((r) => r.error_code === 'timeout')!;
    expect(timeout).toMatchObject({ status: 'failed', cost_usd: '0', cost_source: 'none', queue_ms: '', total_ms: '50' });
    const first = rows.find((r) => r.variation_id === 'r1v0')!;
    expect(first).toMatchObject({ queue_ms: '100', provider_ms: '1000', total_ms: '1100', cost_usd: '0.01', target: ENGINE });
    // Oldest first.
    expect(rows.map((r) => r.queued_at)).toEqual([...rows.map((r) => r.queued_at)].sort());
  });

  it('pages through more rows than one query returns', async () => {
    await run(
      'local',
      'edit',
      Array.from({ length: 2500 }, (_, i) => delivered(5 * HOUR + i, 1, 1)),
    );
    let rows = -1;
    for await (const chunk of ledgerCsv(mine, { window: '24h', probes: 'include' }, NOW)) rows += chunk.split('\r\n').length - 1;
    expect(rows).toBe(25 + 2500);
  });
});
