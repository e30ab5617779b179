import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

/** Issue 12 budgets on the paths besides a plain submit: runs at the same instant, retries, re-runs. */
useTempDataDir();
const { db } = await import('../db/client');
const { storedImage } = await import('../jobs/testing/seed');
const { ownerContext } = await import('../context');
const { createSession } = await import('../services/sessions');
const { submitRun, retryVariation, rerunExactly } = await import('../services/runs');
const { submitRunSchema } = await import('@/lib/schemas/run');
const { budgetState, setBudget } = await import('./budget');
const { settleFailureCost, successCost, withPriorAttempts } = await import('./cost');
const { setPrice } = await import('./prices');
const { addSafetyRule, removeSafetyRule } = await import('../safety/service');
const { withBudgetLock, advisoryBudgetLock } = await import('./budget-lock');
const { dialect } = await import('../db/dialect');

const ctx = ownerContext();
const ENGINE = 'offline:engine-v1';
let assetId = '';

beforeAll(async () => {
  assetId = (await storedImage('#663399')).id;
  await setPrice(ctx, { targetId: ENGINE, unit: 'image', amountUsd: 0.1 }, new Date(Date.now() - 60_000));
});

beforeEach(async () => {
  // Each test starts from a clean month: earlier tests' spend is not this one's.
  await db().variation.deleteMany({});
  await setBudget(ctx, { monthlyUsd: null, sessionCapUsd: null });
});

const submit = (sessionId: string, count: number, instruction = 'grey scale') =>
  submitRun(ctx, submitRunSchema.parse({ sessionId, instruction, referenceIds: [assetId], targets: [ENGINE], count, seed: 1 }));

/** A run of one whose variation failed (billed at its estimate, as an accepted job would be). */
async function failedVariation(sessionId: string, instruction?: string) {
  const run = await submit(sessionId, 1, instruction);
  const id = run.variationIds[0]!;
  await db().variation.update({
    where: { id },
    data: { status: 'failed', errorCode: 'provider_error', costUsd: 0.1, costSource: 'estimate', finishedAt: new Date() },
  });
  return { run, id };
}

describe('runs submitted at the same instant', () => {
  it('never cross the monthly budget together: of five runs of $0.30 against $1.00, three pass', async () => {
    const s = await createSession(ctx, { title: 'Race' });
    await setBudget(ctx, { monthlyUsd: 1, sessionCapUsd: null });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => submit(s, 3)));
    const passed = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(passed).toHaveLength(3);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'budget_exceeded' });
    expect((refused[0] as PromiseRejectedResult).reason.message).toBe(
      'This run is estimated at $0.30; $0.90 of the $1.00 monthly budget is spent or committed.',
    );
    const committed = await db().variation.aggregate({ _sum: { costEstimateUsd: true } });
    expect(committed._sum.costEstimateUsd).toBeCloseTo(0.9, 6);
  });

  it('never cross a session cap together either', async () => {
    const s = await createSession(ctx, { title: 'Race cap' });
    await setBudget(ctx, { monthlyUsd: null, sessionCapUsd: 0.2 });
    const results = await Promise.allSettled([submit(s, 2), submit(s, 2), submit(s, 1)]);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    expect(await db().variation.count({ where: { run: { sessionId: s } } })).toBeLessThanOrEqual(2);
  });

  it('the lock runs one section at a time per workspace and survives a failure', async () => {
    const order: string[] = [];
    const step = (name: string, ms: number, fail = false) =>
      withBudgetLock('w', async () => {
        order.push(`${name}:in`);
        await new Promise((r) => setTimeout(r, ms));
        order.push(`${name}:out`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([step('a', 20, true), step('b', 1), withBudgetLock('other', async () => 'c')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(order).toEqual(['a:in', 'a:out', 'b:in', 'b:out']);
  });

  // Other processes do not share the in-process queue; on PostgreSQL the advisory lock is what
  // holds them apart. Called directly (as two processes would), each section on its own connection.
  it.skipIf(dialect() !== 'postgres')('across processes on PostgreSQL: one section per workspace at a time', async () => {
    const order: string[] = [];
    const step = (workspace: string, name: string, ms: number, fail = false) =>
      advisoryBudgetLock(workspace, async () => {
        order.push(`${name}:in`);
        await new Promise((r) => setTimeout(r, ms));
        order.push(`${name}:out`);
        if (fail) throw new Error(name);
        return name;
      });
    const same = await Promise.allSettled([step('w', 'a', 300, true), step('w', 'b', 1)]);
    expect(same.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    // Either may be granted first (two connections), but never both at once.
    expect([order.join(), order.slice(2).concat(order.slice(0, 2)).join()]).toContain('a:in,a:out,b:in,b:out');
    // Another workspace's section does not wait for this one's: d (1 ms) ends inside c (300 ms).
    order.length = 0;
    await Promise.all([step('w', 'c', 300), step('other', 'd', 1)]);
    expect(order.indexOf('d:out')).toBeLessThan(order.indexOf('c:out'));
  });
});

describe('retrying a failed variation', () => {
  it('is refused over the budget with the numbers, and the variation stays failed (nothing queued, nothing sent)', async () => {
    const s = await createSession(ctx, { title: 'Retry over' });
    const { id } = await failedVariation(s);
    await submit(s, 4); // $0.10 spent + $0.40 committed = $0.50
    await setBudget(ctx, { monthlyUsd: 0.5, sessionCapUsd: null });
    await expect(retryVariation(ctx, { variationId: id })).rejects.toMatchObject({
      code: 'budget_exceeded',
      message: 'This run is estimated at $0.10; $0.50 of the $0.50 monthly budget is spent or committed.',
    });
    const row = await db().variation.findUniqueOrThrow({ where: { id } });
    expect([row.status, row.generation, row.errorCode]).toEqual(['failed', 0, 'provider_error']);
  });

  it('within the budget, is queued again with the estimate at today’s price', async () => {
    const s = await createSession(ctx, { title: 'Retry ok' });
    const { id } = await failedVariation(s);
    await setPrice(ctx, { targetId: ENGINE, unit: 'image', amountUsd: 0.25 });
    await setBudget(ctx, { monthlyUsd: 1, sessionCapUsd: 0.35 }); // $0.10 spent + $0.25 = the cap exactly
    const { warnings } = await retryVariation(ctx, { variationId: id });
    expect(warnings).toEqual(['With this run $0.35 of the $0.35 cap for this session (100 %) is spent or committed.']);
    const row = await db().variation.findUniqueOrThrow({ where: { id } });
    expect([row.status, row.generation, row.costEstimateUsd]).toEqual(['queued', 1, 0.25]);
    await setPrice(ctx, { targetId: ENGINE, unit: 'image', amountUsd: 0.1 });
  });

  it('keeps what the failed attempt was billed: counted while pending, included in the next outcome’s cost', async () => {
    const s = await createSession(ctx, { title: 'Retry cost' });
    const { id } = await failedVariation(s); // billed $0.10
    expect((await budgetState(ctx)).monthCommittedUsd).toBeCloseTo(0.1, 6);
    await retryVariation(ctx, { variationId: id });
    let row = await db().variation.findUniqueOrThrow({ where: { id } });
    expect([row.costUsd, row.costSource, row.priorCostUsd, row.costEstimateUsd]).toEqual([null, null, 0.1, 0.1]);
    // Pending: the earlier $0.10 plus the retry's $0.10 estimate.
    expect((await budgetState(ctx)).monthCommittedUsd).toBeCloseTo(0.2, 6);
    expect(await successCost(row, { costUsd: 0.07 })).toEqual({ costUsd: 0.17, costSource: 'provider' });

    // It fails again; the engine bills no failure, so the earlier $0.10 stays (settled twice: the same figure).
    await db().variation.update({ where: { id }, data: { status: 'failed', errorCode: 'provider_error', finishedAt: new Date() } });
    await settleFailureCost(id, 'accepted');
    await settleFailureCost(id, 'accepted');
    row = await db().variation.findUniqueOrThrow({ where: { id } });
    expect([row.costUsd, row.costSource]).toEqual([0.1, 'estimate']);
    expect((await budgetState(ctx)).monthCommittedUsd).toBeCloseTo(0.1, 6);

    // A second retry carries the total; cancelled before it is sent, the earlier spend still counts.
    await retryVariation(ctx, { variationId: id });
    expect((await db().variation.findUniqueOrThrow({ where: { id } })).priorCostUsd).toBe(0.1);
    await db().variation.update({ where: { id }, data: { status: 'cancelled', finishedAt: new Date() } });
    expect((await budgetState(ctx)).monthCommittedUsd).toBeCloseTo(0.1, 6);
  });

  it('an unbilled or unpriced last attempt keeps the earlier figure', () => {
    expect(withPriorAttempts({ costUsd: 0, costSource: 'none' }, 0.1)).toEqual({ costUsd: 0.1, costSource: 'estimate' });
    expect(withPriorAttempts({ costUsd: null, costSource: null }, 0.1)).toEqual({ costUsd: 0.1, costSource: 'estimate' });
    expect(withPriorAttempts({ costUsd: 0.05, costSource: 'provider' }, null)).toEqual({ costUsd: 0.05, costSource: 'provider' });
  });

  it('two retries of the same variation at once: one requeues, the other is a conflict', async () => {
    const s = await createSession(ctx, { title: 'Retry twice' });
    const { id } = await failedVariation(s);
    const results = await Promise.allSettled([retryVariation(ctx, { variationId: id }), retryVariation(ctx, { variationId: id })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await db().variation.findUniqueOrThrow({ where: { id } })).generation).toBe(1);
  });

  it('passes the safety pre-check again: a word blocklisted since is refused and recorded', async () => {
    const s = await createSession(ctx, { title: 'Retry blocked' });
    const { id } = await failedVariation(s, 'make it zorblax purple');
    const rule = await addSafetyRule(ctx, { kind: 'word', value: 'zorblax' });
    const events = await db().safetyEvent.count();
    await expect(retryVariation(ctx, { variationId: id })).rejects.toMatchObject({ code: 'content_blocked' });
    expect(await db().safetyEvent.count()).toBe(events + 1);
    expect((await db().variation.findUniqueOrThrow({ where: { id } })).status).toBe('failed');
    await removeSafetyRule(ctx, { ruleId: rule.id });
  });
});

describe('re-run exactly', () => {
  it('is checked like a new run: refused over the session cap with the numbers, nothing written', async () => {
    const s = await createSession(ctx, { title: 'Rerun' });
    const first = await submit(s, 2);
    await setBudget(ctx, { monthlyUsd: null, sessionCapUsd: 0.3 });
    const before = await db().run.count();
    await expect(rerunExactly(ctx, { runId: first.runId })).rejects.toMatchObject({
      code: 'budget_exceeded',
      message: 'This run is estimated at $0.20; $0.20 of the $0.30 cap for this session is spent or committed.',
    });
    expect(await db().run.count()).toBe(before);
  });
});
