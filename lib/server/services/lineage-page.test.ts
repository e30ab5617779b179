import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
const { db } = await import('../db/client');
const { contextFor, ownerContext } = await import('../context');
const { createSession } = await import('./sessions');
const { getLineage, getLineagePage } = await import('./lineage');

const ctx = ownerContext();
const theirs = contextFor({ kind: 'owner', workspaceId: 'other' });
const OPTIONS = { limit: 6, wide: 2, depth: 2 };
let s = '';

let assets = 0;
async function asset(): Promise<string> {
  const id = `asset-${++assets}`;
  await db().asset.create({
    data: { id, sha256: String(assets).padStart(64, '0'), mime: 'image/png', width: 64, height: 64, bytes: 100, origin: 'output' },
  });
  return id;
}

type Spec = { n: number; fork?: string; refs?: string[]; source?: string; deleted?: boolean };

/** Run `rN` with variations `rN-v0`, `rN-v1`, each with its own output (its asset is `out[rN-vK]`). */
const out = new Map<string, string>();
async function addRun({ n, fork, refs = [], source, deleted }: Spec) {
  const id = `r${n}`;
  const upload = await asset();
  await db().run.create({
    data: {
      id,
      sessionId: s,
      number: n,
      instruction: `step ${n}`,
      params: '{}',
      targets: '["offline:engine-v1"]',
      parentVariationId: fork ?? null,
      sourceRunId: source ?? null,
      sourceKind: source ? 'tweak' : null,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, n)),
      deletedAt: deleted ? new Date() : null,
      references: {
        create: [...(fork ? [out.get(fork)!] : []), ...refs.map((v) => out.get(v)!), upload].map((assetId, position) => ({
          assetId,
          position,
        })),
      },
    },
  });
  for (const index of [0, 1]) {
    const vid = `${id}-v${index}`;
    out.set(vid, await asset());
    await db().variation.create({
      data: {
        id: vid,
        runId: id,
        targetId: 'offline:engine-v1',
        provider: 'offline',
        model: 'engine-v1',
        index,
        seed: index,
        status: 'succeeded',
        outputAssetId: out.get(vid)!,
        finishedAt: new Date(Date.UTC(2026, 0, 1, 0, n, 30)),
      },
    });
  }
}

beforeAll(async () => {
  await db().workspace.create({ data: { id: 'other', name: 'Another team' } });
  s = await createSession(ctx, { title: 'Tree' });
  // r1 ┬ r2 ┬ r5 ─ r6      r7 (a tweak of nothing live: r3 is deleted)    r8
  //    │    └ r9
  //    ├ r3 (deleted)
  //    └ r4
  for (const spec of [
    { n: 1 },
    { n: 2, fork: 'r1-v0' },
    { n: 3, fork: 'r1-v1', deleted: true },
    { n: 4, fork: 'r1-v1' },
    { n: 5, fork: 'r2-v0' },
    { n: 6, refs: ['r5-v1'] },
    { n: 7, source: 'r3' },
    { n: 8 },
    { n: 9, fork: 'r2-v1' },
  ] satisfies Spec[])
    await addRun(spec);
});

const shape = (nodes: { run: { id: string }; index: number; childCount: number }[]) =>
  nodes.map((n) => `${n.run.id}@${n.index}/${n.childCount}`);

describe('getLineagePage', () => {
  it('sends the roots newest first, a few children each, within the budget', async () => {
    const page = (await getLineagePage(ctx, { sessionId: s }, OPTIONS))!;
    expect(page).toMatchObject({ sessionId: s, expand: null, cursor: 0, siblings: 3, totalRuns: 8 });
    // Depth first: r5's chain goes on to r6, and the budget of six ends there (r9 and r4 wait).
    expect(shape(page.nodes)).toEqual(['r8@0/0', 'r7@1/0', 'r1@2/2', 'r2@0/2', 'r5@0/1', 'r6@0/0']);
    // A third branching arrives collapsed.
    expect(shape((await getLineagePage(ctx, { sessionId: s }, { ...OPTIONS, limit: 100, depth: 1 }))!.nodes)).toEqual([
      'r8@0/0',
      'r7@1/0',
      'r1@2/2',
      'r2@0/2',
      'r4@1/0',
    ]);
    const r1 = page.nodes.find((n) => n.run.id === 'r1')!;
    expect(r1.descendants).toBe(5);
    expect(page.nodes.find((n) => n.run.id === 'r2')!.edge).toEqual({ kind: 'fork', parentRunId: 'r1', fromVariationId: 'r1-v0' });
  });

  it('sends each run with its instruction, references (with their producer) and thumbnails', async () => {
    const page = (await getLineagePage(ctx, { sessionId: s, expand: 'r5' }, OPTIONS))!;
    expect(shape(page.nodes)).toEqual(['r6@0/0']);
    const r6 = page.nodes[0]!;
    expect(r6.edge).toEqual({ kind: 'reference', parentRunId: 'r5', fromVariationId: 'r5-v1' });
    expect(r6.run.instruction).toBe('step 6');
    expect(r6.run.references[0]).toMatchObject({ position: 0, producedByVariationId: 'r5-v1', producer: { runNumber: 5, index: 1 } });
    expect(r6.run.references[1]).toMatchObject({ position: 1, producedByVariationId: null, producer: null });
    expect(r6.run.variations.map((v) => [v.id, v.output?.id])).toEqual([
      ['r6-v0', out.get('r6-v0')],
      ['r6-v1', out.get('r6-v1')],
    ]);
  });

  it('continues a wide run from the cursor', async () => {
    const page = (await getLineagePage(ctx, { sessionId: s, expand: 'r1', cursor: 1 }, OPTIONS))!;
    expect(page.siblings).toBe(2);
    expect(shape(page.nodes)).toEqual(['r4@1/0']);
    expect(shape((await getLineagePage(ctx, { sessionId: s, cursor: 2 }, OPTIONS))!.nodes)[0]).toBe('r1@2/2');
  });

  it('leaves deleted runs out of the tree and its counts', async () => {
    const page = (await getLineagePage(ctx, { sessionId: s, expand: 'r3' }, OPTIONS))!;
    expect(page.nodes).toEqual([]);
    const all = (await getLineage(ctx, s))!;
    expect(all.runs.map((r) => r.id)).not.toContain('r3');
  });

  it('sends the same runs as the whole lineage, page by page', async () => {
    const whole = (await getLineage(ctx, s))!;
    const big = (await getLineagePage(ctx, { sessionId: s }, { limit: 100, wide: 100, depth: 100 }))!;
    expect(big.nodes.map((n) => n.run.id).sort()).toEqual(whole.runs.map((r) => r.id).sort());
    for (const node of big.nodes) {
      const full = whole.runs.find((r) => r.id === node.run.id)!;
      expect(node.run.variations).toEqual(full.variations);
      expect(node.run.references.map(({ producer: _, ...r }) => r)).toEqual(full.references);
    }
  });

  it('is not found from another workspace', async () => {
    expect(await getLineagePage(theirs, { sessionId: s })).toBeUndefined();
  });
});
