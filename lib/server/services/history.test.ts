import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
const { db } = await import('../db/client');
const { ownerContext } = await import('../context');
const { createSession, listSessions } = await import('./sessions');
const { listRuns } = await import('./runs');
const { submitRunAction: submitRun, rerunAction: rerunExactly } = await import('../actions/runs');
const {
  renameSessionAction: renameSession,
  setSessionNotesAction: setSessionNotes,
  archiveSessionAction: archiveSession,
  starAction: setStarred,
  rateAction: setRating,
  noteAction: setNote,
  deleteAction: softDelete,
  restoreAction: restore,
  addToTrayAction: addToTray,
  removeFromTrayAction: removeFromTray,
} = await import('../actions/history');
const { listTrash } = await import('./trash');
const { getLineage, getProvenance } = await import('./lineage');
const { listTray } = await import('./tray');
const { storedImage: image, finishVariation: finish } = await import('../jobs/testing/seed');

// The local owner, as every request resolves today; the mutations go through the actions.
const ctx = ownerContext();

const ENGINE = 'offline:engine-v1';
let assetId = '';

async function run(sessionId: string, instruction: string, extra: Record<string, unknown> = {}) {
  const r = await submitRun({ sessionId, instruction, referenceIds: [assetId], targets: [ENGINE], count: 2, seed: 5, ...extra });
  if (!r.ok) throw new Error(r.error.message);
  return r.data;
}

beforeAll(async () => {
  assetId = (await image('#ff0000')).id;
});

describe('sessions', () => {
  it('renames, notes, archives; bad input changes nothing', async () => {
    const id = await createSession(ctx, { title: 'Mugs' });
    expect((await renameSession({ id, title: '  Mug shots  ' })).ok).toBe(true);
    expect((await renameSession({ id, title: '   ' })).ok).toBe(false);
    expect((await setSessionNotes({ id, notes: 'client wants teal' })).ok).toBe(true);
    const row = await db().session.findUniqueOrThrow({ where: { id } });
    expect([row.title, row.notes]).toEqual(['Mug shots', 'client wants teal']);
    expect((await archiveSession({ id, archived: true })).ok).toBe(true);
    expect((await listSessions(ctx, { view: 'active' })).sessions.map((s) => s.id)).not.toContain(id);
    expect((await listSessions(ctx, { view: 'archived' })).sessions.map((s) => s.id)).toContain(id);
  });

  it('searches titles, notes and instructions, and filters by provider, status and stars', async () => {
    const a = await createSession(ctx, { title: 'Alpha' });
    const b = await createSession(ctx, { title: 'Beta' });
    await setSessionNotes({ id: b, notes: 'uses the lagoon palette' });
    const ra = await run(a, 'put it on dark marble');
    await finish(ra.variationIds[0]!, '#00ff00', { starred: true });
    await db().variation.update({ where: { id: ra.variationIds[1]! }, data: { status: 'failed', errorCode: 'bad_input' } });
    await run(b, 'make it sepia');
    const ids = async (f: object) => (await listSessions(ctx, f)).sessions.map((s) => s.id);
    expect(await ids({ q: 'MARBLE' })).toEqual([a]);
    expect(await ids({ q: 'lagoon' })).toEqual([b]);
    expect(await ids({ q: 'Beta' })).toEqual([b]);
    expect(await ids({ status: 'failed' })).toEqual([a]);
    expect(await ids({ starred: true })).toEqual([a]);
    expect((await ids({ provider: 'offline' })).sort()).toEqual([a, b].sort());
    expect(await ids({ provider: 'openai' })).toEqual([]);
  });

  it('paginates with a cursor without repeating or skipping', async () => {
    for (let i = 0; i < 5; i++) await createSession(ctx, { title: `Page ${i}` });
    const all = (await listSessions(ctx, { limit: 100 })).sessions.map((s) => s.id);
    const first = await listSessions(ctx, { limit: 3 });
    const second = await listSessions(ctx, { limit: 3, cursor: first.nextCursor! });
    expect([...first.sessions, ...second.sessions].map((s) => s.id)).toEqual(all.slice(0, 6));
  });
});

describe('soft delete, restore, trash', () => {
  it('hides deleted variations and runs, lists them in the trash, and restores them', async () => {
    const s = await createSession(ctx, { title: 'Trashy' });
    const r1 = await run(s, 'make it black and white');
    const r2 = await run(s, 'make it sepia');
    expect((await softDelete({ kind: 'variation', ids: [r1.variationIds[0]!] })).ok).toBe(true);
    expect((await softDelete({ kind: 'run', ids: [r2.runId] })).ok).toBe(true);
    let page = await listRuns(ctx, { sessionId: s });
    expect(page.runs.map((r) => r.id)).toEqual([r1.runId]);
    expect(page.runs[0]!.variations.map((v) => v.id)).toEqual([r1.variationIds[1]]);
    const trash = await listTrash(ctx);
    expect(trash.map((t) => t.id)).toEqual(expect.arrayContaining([r1.variationIds[0], r2.runId]));
    // A second delete of the same thing is reported, not silently accepted.
    expect((await softDelete({ kind: 'run', ids: [r2.runId] })).ok).toBe(false);
    await restore({ kind: 'variation', ids: [r1.variationIds[0]!] });
    await restore({ kind: 'run', ids: [r2.runId] });
    page = await listRuns(ctx, { sessionId: s });
    expect(page.runs.map((r) => r.number)).toEqual([2, 1]);
    expect(page.runs[1]!.variations).toHaveLength(2);
  });

  it('deletes and restores a whole session', async () => {
    const s = await createSession(ctx, { title: 'Gone for a bit' });
    await softDelete({ kind: 'session', ids: [s] });
    expect((await listSessions(ctx, { limit: 100 })).sessions.map((x) => x.id)).not.toContain(s);
    expect((await listSessions(ctx, { view: 'trash', limit: 100 })).sessions.map((x) => x.id)).toContain(s);
    expect((await restore({ kind: 'session', ids: [s] })).ok).toBe(true);
    expect((await listSessions(ctx, { limit: 100 })).sessions.map((x) => x.id)).toContain(s);
  });

  it('stars, rates and notes in bulk; out-of-range ratings are refused', async () => {
    const s = await createSession(ctx, { title: 'Cull' });
    const r = await run(s, 'make it warmer');
    expect((await setStarred({ kind: 'variation', ids: r.variationIds, starred: true })).ok).toBe(true);
    expect((await setRating({ kind: 'variation', ids: r.variationIds, rating: 4 })).ok).toBe(true);
    expect((await setRating({ kind: 'variation', ids: r.variationIds, rating: 6 })).ok).toBe(false);
    expect((await setNote({ kind: 'run', id: r.runId, note: 'best so far' })).ok).toBe(true);
    const page = await listRuns(ctx, { sessionId: s });
    expect(page.runs[0]!.note).toBe('best so far');
    expect(page.runs[0]!.variations.map((v) => [v.starred, v.rating])).toEqual([
      [true, 4],
      [true, 4],
    ]);
  });
});

describe('re-run, lineage, provenance, tray', () => {
  it('re-runs exactly with the same seeds and links the new run to the old', async () => {
    const s = await createSession(ctx, { title: 'Again' });
    const first = await run(s, 'make it cooler', { seed: 77, count: 2 });
    const again = await rerunExactly({ runId: first.runId });
    if (!again.ok) throw new Error(again.error.message);
    const rows = await db().run.findUniqueOrThrow({ where: { id: again.data.runId }, include: { variations: true } });
    expect(rows.sourceRunId).toBe(first.runId);
    expect(rows.sourceKind).toBe('rerun');
    expect(rows.variations.map((v) => v.seed).sort()).toEqual([77, 78]);
    expect(rows.number).toBe(2);
  });

  it('gives simultaneous submits distinct run numbers', async () => {
    const s = await createSession(ctx, { title: 'Race' });
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => run(s, `edit ${i}`)));
    expect(results.map((r) => r.number).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(await db().run.count({ where: { sessionId: s } })).toBe(5);
  });

  it('knows each run’s parent variation and where its references came from, back to the originals', async () => {
    const s = await createSession(ctx, { title: 'Tree' });
    const r1 = await run(s, 'remove the background');
    const out = await finish(r1.variationIds[0]!, '#0000ff');
    // Run 2 forks from run 1's first variation, using its output as reference.
    const r2 = await submitRun({
      sessionId: s,
      instruction: 'make it sepia',
      referenceIds: [out.id],
      targets: [ENGINE],
      count: 1,
      seed: 1,
      parentVariationId: r1.variationIds[0],
    });
    if (!r2.ok) throw new Error(r2.error.message);
    await finish(r2.data.variationIds[0]!, '#00ffff');
    const lineage = await getLineage(ctx, s);
    expect(lineage!.runs.map((r) => r.number)).toEqual([1, 2]);
    expect(lineage!.runs[1]!.parentVariationId).toBe(r1.variationIds[0]);
    expect(lineage!.runs[1]!.references[0]!.producedByVariationId).toBe(r1.variationIds[0]);
    const prov = await getProvenance(ctx, r2.data.variationIds[0]!);
    expect(prov!.path.map((p) => p.runNumber)).toEqual([1, 2]);
    expect(prov!.path[0]!.references[0]!.producedByVariationId).toBeNull(); // the original upload
  });

  it('keeps a compare tray on the server, once per image, with facts to diff', async () => {
    const s = await createSession(ctx, { title: 'Tray' });
    const r = await run(s, 'make it brighter');
    const a = await finish(r.variationIds[0]!, '#111111');
    const b = await finish(r.variationIds[1]!, '#222222');
    await addToTray({
      items: [
        { assetId: a.id, variationId: r.variationIds[0] },
        { assetId: b.id, variationId: r.variationIds[1] },
      ],
    });
    await addToTray({ items: [{ assetId: a.id, variationId: r.variationIds[0] }] });
    let tray = await listTray(ctx);
    expect(tray.map((t) => t.key)).toEqual([r.variationIds[0], r.variationIds[1]]);
    expect(tray.map((t) => t.facts.seed)).toEqual([5, 6]);
    expect((await addToTray({ items: [{ assetId: 'missing' }] })).ok).toBe(false);
    await removeFromTray([{ assetId: a.id }]);
    tray = await listTray(ctx);
    expect(tray.map((t) => t.key)).toEqual([r.variationIds[1]]);
  });
});
