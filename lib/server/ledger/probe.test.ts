import { describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
const { db } = await import('../db/client');
const { ownerContext } = await import('../context');
const { estimateProbe, runProbe, PROBE_INSTRUCTION, PROBE_SESSION_TITLE } = await import('./probe');
const { setPrice } = await import('./prices');
const { setBudget } = await import('./budget');
const { ledgerStats } = await import('./stats');

const ctx = ownerContext();
const ENGINE = 'offline:engine-v1';

describe('probe (burn test)', () => {
  it('estimates, then records N identical edits per target as a probe run in the Probes session', async () => {
    await setPrice(ctx, { targetId: ENGINE, unit: 'image', amountUsd: 0.01 });
    const estimate = await estimateProbe(ctx, { targets: [ENGINE], count: 6 });
    expect(estimate.totalUsd).toBeCloseTo(0.06);

    const first = await runProbe(ctx, { targets: [ENGINE], count: 6, confirmedUsd: estimate.totalUsd });
    // Past the composer's 4 per target: two runs (4 + 2) of identical edits.
    expect(first.variations).toBe(6);
    expect(first.runIds).toHaveLength(2);
    const runs = await db().run.findMany({
      where: { id: { in: first.runIds } },
      include: { session: true, variations: true, references: true },
    });
    for (const r of runs)
      expect(r).toMatchObject({ kind: 'probe', instruction: PROBE_INSTRUCTION, session: { title: PROBE_SESSION_TITLE } });
    const all = runs.flatMap((r) => r.variations);
    expect(all).toHaveLength(6);
    expect(all.every((v) => v.targetId === ENGINE && v.costEstimateUsd === 0.01)).toBe(true);
    const run = runs[0]!;

    // A second probe reuses the session and the same reference image.
    const second = await runProbe(ctx, { targets: [ENGINE], count: 1, confirmedUsd: 0.01 });
    const again = await db().run.findUniqueOrThrow({ where: { id: second.runIds[0] }, include: { references: true } });
    expect(second.sessionId).toBe(first.sessionId);
    expect(again.references[0]!.assetId).toBe(run.references[0]!.assetId);

    const only = await ledgerStats(ctx, { window: '24h', probes: 'only' });
    expect(only.targets[0]).toMatchObject({ targetId: ENGINE, count: 7 });
    const without = await ledgerStats(ctx, { window: '24h', probes: 'exclude' });
    expect(without.targets).toEqual([]);
  });

  it('refuses, creating nothing, when it would cost more than what was confirmed', async () => {
    const before = await db().run.count();
    await expect(runProbe(ctx, { targets: [ENGINE], count: 2, confirmedUsd: 0.01 })).rejects.toMatchObject({ code: 'conflict' });
    await expect(runProbe(ctx, { targets: [ENGINE], count: 2, confirmedUsd: null })).rejects.toMatchObject({ code: 'conflict' });
    await expect(runProbe(ctx, { targets: ['nope:nothing'], count: 1, confirmedUsd: 1 })).rejects.toMatchObject({ code: 'invalid_input' });
    // Over the monthly budget: refused before the first run, with the numbers.
    await setBudget(ctx, { monthlyUsd: 0.1, sessionCapUsd: null });
    await expect(runProbe(ctx, { targets: [ENGINE], count: 20, confirmedUsd: 0.2 })).rejects.toMatchObject({ code: 'budget_exceeded' });
    expect(await db().run.count()).toBe(before);
  });
});
