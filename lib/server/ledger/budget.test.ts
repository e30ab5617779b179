import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
const { db } = await import('../db/client');
const { storedImage } = await import('../jobs/testing/seed');
const { ownerContext } = await import('../context');
const { createSession } = await import('../services/sessions');
const { submitRun } = await import('../services/runs');
const { submitRunSchema } = await import('@/lib/schemas/run');
const { setBudget, judge, budgetState } = await import('./budget');
const { setPrice } = await import('./prices');
const { costOnFailure, costOnSuccess, settleFailureCost, storedEstimate } = await import('./cost');

const ctx = ownerContext();
const ENGINE = 'offline:engine-v1';
let assetId = '';

beforeAll(async () => {
  assetId = (await storedImage('#336699')).id;
  // The engine is free in the catalog; a price makes its runs count against the budget.
  await setPrice(ctx, { targetId: ENGINE, unit: 'image', amountUsd: 0.1 }, new Date(Date.now() - 60_000));
});

const submit = (sessionId: string, count: number) =>
  submitRun(
    ctx,
    submitRunSchema.parse({ sessionId, instruction: 'grey scale', referenceIds: [assetId], targets: [ENGINE], count, seed: 1 }),
  );

describe('judge (pure)', () => {
  const monthly = { label: 'monthly budget', limitUsd: 10, committedUsd: 9.8 };
  it('allows reaching the limit exactly and refuses a cent over, with the numbers', () => {
    expect(judge([monthly], 0.2).refusal).toBeNull();
    expect(judge([monthly], 0.21).refusal).toBe(
      'This run is estimated at $0.21; $9.80 of the $10.00 monthly budget is spent or committed.',
    );
  });
  it('treats float sums that equal the limit as equal', () => {
    // 0.1 + 0.2 = 0.30000000000000004 in floating point.
    expect(judge([{ label: 'monthly budget', limitUsd: 0.3, committedUsd: 0.1 }], 0.2).refusal).toBeNull();
  });
  it('warns from 80 % of a limit, not below', () => {
    expect(judge([{ ...monthly, committedUsd: 7.9 }], 0.09).warnings).toEqual([]);
    expect(judge([{ ...monthly, committedUsd: 7.9 }], 0.1).warnings).toEqual([
      'With this run $8.00 of the $10.00 monthly budget (80 %) is spent or committed.',
    ]);
  });
});

describe('budgets on submitRun', () => {
  it('counts spent this month and pending estimates; equal is allowed, over is refused and nothing is written', async () => {
    const s = await createSession(ctx, { title: 'Budget' });
    await setBudget(ctx, { monthlyUsd: 1, sessionCapUsd: null });
    const first = await submit(s, 4); // $0.40 pending
    expect(first.estimate.totalUsd).toBe(0.4);
    const rows = await db().variation.findMany({ where: { runId: first.runId } });
    expect(rows.map((r) => r.costEstimateUsd)).toEqual([0.1, 0.1, 0.1, 0.1]);
    // Two finish this month ($0.20 spent), two stay queued ($0.20 committed); one from last month does not count.
    const now = new Date();
    await db().variation.updateMany({
      where: { id: { in: [rows[0]!.id, rows[1]!.id] } },
      data: { status: 'succeeded', costUsd: 0.1, finishedAt: now },
    });
    const old = await submit(s, 1);
    await db().variation.updateMany({
      where: { runId: old.runId },
      data: { status: 'succeeded', costUsd: 5, finishedAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0, 23, 59)) },
    });
    expect((await budgetState(ctx)).monthCommittedUsd).toBe(0.4);

    expect((await submit(s, 4)).estimate.warnings[0]).toMatch(/\$0\.80 of the \$1\.00 monthly budget \(80 %\)/);
    const edge = await submit(s, 2); // 0.80 + 0.20 = 1.00: allowed, with a warning
    expect(edge.estimate.warnings[0]).toMatch(/\$1\.00 of the \$1\.00 monthly budget \(100 %\)/);
    const before = await db().variation.count();
    await expect(submit(s, 1)).rejects.toMatchObject({
      code: 'budget_exceeded',
      status: 402,
      message: 'This run is estimated at $0.10; $1.00 of the $1.00 monthly budget is spent or committed.',
    });
    expect(await db().variation.count()).toBe(before);
    await setBudget(ctx, { monthlyUsd: null, sessionCapUsd: null });
  });

  it('applies the session cap to that session only', async () => {
    const a = await createSession(ctx, { title: 'A' });
    const b = await createSession(ctx, { title: 'B' });
    await setBudget(ctx, { monthlyUsd: null, sessionCapUsd: 0.3 });
    await submit(a, 3);
    await expect(submit(a, 1)).rejects.toThrow(
      'This run is estimated at $0.10; $0.30 of the $0.30 cap for this session is spent or committed.',
    );
    expect((await submit(b, 3)).estimate.totalUsd).toBe(0.3);
    await setBudget(ctx, { monthlyUsd: null, sessionCapUsd: null });
  });
});

describe('costs after a run', () => {
  it('keeps the estimate made at creation when the price changes later', async () => {
    const s = await createSession(ctx, { title: 'Price change' });
    const run = await submit(s, 1);
    await setPrice(ctx, { targetId: ENGINE, unit: 'image', amountUsd: 0.5 });
    const v = await db().variation.findFirstOrThrow({ where: { runId: run.runId } });
    expect(await storedEstimate(v)).toBe(0.1);
    expect(costOnSuccess(undefined, await storedEstimate(v))).toEqual({ costUsd: 0.1, costSource: 'estimate' });
    // A new run uses the new price.
    expect((await submit(s, 1)).estimate.totalUsd).toBe(0.5);
  });

  it('records a final failure’s cost on the row: $0 before submit, the stored estimate after acceptance, nothing on a requeue', async () => {
    const s = await createSession(ctx, { title: 'Failures' });
    await setPrice(ctx, { targetId: ENGINE, unit: 'image', amountUsd: 0.1 });
    const run = await submit(s, 3);
    const [a, b, c] = await db().variation.findMany({ where: { runId: run.runId }, orderBy: { index: 'asc' } });
    await db().variation.updateMany({ where: { id: { in: [a!.id, b!.id] } }, data: { status: 'failed', errorCode: 'provider_error' } });
    await db().variation.update({ where: { id: b!.id }, data: { provider: 'fal' } }); // a vendor that bills accepted work
    await settleFailureCost(a!.id, 'before-submit');
    await settleFailureCost(b!.id, 'accepted');
    await settleFailureCost(c!.id, 'accepted'); // still queued (requeued): untouched
    const rows = await db().variation.findMany({ where: { runId: run.runId }, orderBy: { index: 'asc' } });
    expect(rows.map((r) => [r.costUsd, r.costSource])).toEqual([
      [0, 'none'],
      [0.1, 'estimate'],
      [null, null],
    ]);
  });

  it('prefers the vendor-reported cost', () => {
    expect(costOnSuccess(0.0371, 0.042)).toEqual({ costUsd: 0.0371, costSource: 'provider' });
  });

  it('bills nothing for a failure before acceptance, the estimate after', () => {
    const base = { provider: 'fal', estimateUsd: 0.04 };
    expect(costOnFailure({ ...base, stage: 'before-submit', code: 'auth' })).toEqual({ costUsd: 0, costSource: 'none' });
    expect(costOnFailure({ ...base, stage: 'submitting', code: 'bad_input' })).toEqual({ costUsd: 0, costSource: 'none' });
    expect(costOnFailure({ ...base, stage: 'submitting', code: 'timeout' })).toEqual({ costUsd: 0.04, costSource: 'estimate' });
    expect(costOnFailure({ ...base, stage: 'accepted', code: 'provider_error' })).toEqual({ costUsd: 0.04, costSource: 'estimate' });
    expect(costOnFailure({ ...base, provider: 'dashscope', stage: 'accepted', code: 'provider_error' })).toEqual({
      costUsd: 0,
      costSource: 'none',
    });
  });
});
