import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
const { db } = await import('../db/client');
const { contextFor, ownerContext } = await import('../context');
const { createSession, getSession, listSessions, renameSession } = await import('./sessions');
const { listRuns, submitRun, rerunExactly, retryVariation } = await import('./runs');
const { cancelVariations } = await import('./variations');
const { setStarred, softDelete, restore } = await import('./edits');
const { listSessionVariations } = await import('./grid');
const { getLineage, getProvenance } = await import('./lineage');
const { addToTray, listTray, clearTray } = await import('./tray');
const { listTrash } = await import('./trash');
const { getDraft, saveDraft } = await import('./drafts');
const { starAction, renameSessionAction } = await import('../actions/history');
const { saveDraftAction } = await import('../actions/sessions');
const { storedImage } = await import('../jobs/testing/seed');

const ENGINE = 'offline:engine-v1';
const mine = ownerContext();
// Another workspace on the same database: what a second team, or a token of another owner, sees.
const theirs = contextFor({ kind: 'owner', workspaceId: 'other' });
let theirSession = '';
let theirRun = '';
let theirVariation = '';
let assetId = '';

beforeAll(async () => {
  await db().workspace.create({ data: { id: 'other', name: 'Another team' } });
  assetId = (await storedImage('#123456')).id;
  theirSession = await createSession(theirs, { title: 'Their secret project' });
  const run = await submitRun(theirs, {
    sessionId: theirSession,
    instruction: 'make it teal',
    negativePrompt: '',
    referenceIds: [assetId],
    targets: [ENGINE],
    count: 1,
    seed: 1,
    size: 'auto',
    format: 'png',
  });
  theirRun = run.runId;
  theirVariation = run.variationIds[0]!;
  await db().variation.update({ where: { id: theirVariation }, data: { status: 'failed', outputAssetId: assetId } });
  await addToTray(theirs, { items: [{ assetId, variationId: theirVariation }] });
});

const notFound = { code: 'not_found' };

describe('an id from another workspace is not found', () => {
  it('sessions: not listed, not readable, not editable', async () => {
    expect(await getSession(mine, theirSession)).toBeNull();
    expect((await listSessions(mine, {})).sessions.map((s) => s.id)).not.toContain(theirSession);
    await expect(renameSession(mine, { id: theirSession, title: 'pwned' })).rejects.toMatchObject(notFound);
    expect(await renameSessionAction({ id: theirSession, title: 'pwned' })).toMatchObject({ ok: false, error: notFound });
    expect((await db().session.findUniqueOrThrow({ where: { id: theirSession } })).title).toBe('Their secret project');
  });

  it('runs and variations: not listed, not re-run, not retried, not cancelled, not edited', async () => {
    await expect(listRuns(mine, { sessionId: theirSession })).rejects.toMatchObject(notFound);
    await expect(listSessionVariations(mine, theirSession, { limit: 10 })).rejects.toMatchObject(notFound);
    await expect(rerunExactly(mine, { runId: theirRun })).rejects.toMatchObject(notFound);
    await expect(retryVariation(mine, { variationId: theirVariation })).rejects.toMatchObject({ code: 'conflict' });
    await expect(cancelVariations(mine, { variationIds: [theirVariation] })).rejects.toMatchObject({ code: 'conflict' });
    await expect(setStarred(mine, { kind: 'variation', ids: [theirVariation], starred: true })).rejects.toMatchObject(notFound);
    expect(await starAction({ kind: 'run', ids: [theirRun], starred: true })).toMatchObject({ ok: false, error: notFound });
    await expect(softDelete(mine, { kind: 'session', ids: [theirSession] })).rejects.toMatchObject(notFound);
    const v = await db().variation.findUniqueOrThrow({ where: { id: theirVariation } });
    expect([v.status, v.starred, v.deletedAt]).toEqual(['failed', false, null]);
    expect(await db().run.count({ where: { sessionId: theirSession } })).toBe(1);
  });

  it('lineage, provenance, tray, trash and drafts stay in their workspace', async () => {
    expect(await getLineage(mine, theirSession)).toBeUndefined();
    expect(await getProvenance(mine, theirVariation)).toBeUndefined();
    expect(await getProvenance(theirs, theirVariation)).toMatchObject({ run: { session: { title: 'Their secret project' } } });
    expect(await listTray(mine)).toEqual([]);
    expect((await listTray(theirs)).map((t) => t.key)).toEqual([theirVariation]);
    await clearTray(mine);
    expect(await listTray(theirs)).toHaveLength(1);
    await softDelete(theirs, { kind: 'run', ids: [theirRun] });
    expect((await listTrash(mine)).map((e) => e.id)).not.toContain(theirRun);
    expect((await listTrash(theirs)).map((e) => e.id)).toContain(theirRun);
    await restore(theirs, { kind: 'run', ids: [theirRun] });
    await expect(
      saveDraft(mine, {
        sessionId: theirSession,
        draft: { instruction: 'x', negativePrompt: '', references: [], targets: [], keepSeed: false },
      }),
    ).rejects.toMatchObject(notFound);
    expect(await saveDraftAction({ sessionId: theirSession, draft: { instruction: 'x' } })).toMatchObject({ ok: false, error: notFound });
    expect(await getDraft(theirs, theirSession)).toBeNull();
  });

  it('a tray item never links to another workspace’s variation', async () => {
    await addToTray(mine, { items: [{ assetId, variationId: theirVariation }] });
    const tray = await listTray(mine);
    expect(tray).toHaveLength(1);
    expect(tray[0]!.kind).toBe('reference');
    expect(JSON.stringify(tray)).not.toContain('make it teal');
  });
});

describe('drafts', () => {
  it('round-trips the composer through the action and decodes an old or broken row to defaults', async () => {
    const s = await createSession(mine, {});
    const saved = await saveDraftAction({
      sessionId: s,
      draft: { instruction: 'warm it up', targets: [ENGINE], count: 3, references: [] },
    });
    expect(saved.ok).toBe(true);
    expect(await getDraft(mine, s)).toMatchObject({ instruction: 'warm it up', targets: [ENGINE], count: 3, negativePrompt: '' });
    const bad = await saveDraftAction({ sessionId: s, draft: { instruction: 'x'.repeat(5000) } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { 'draft.instruction': expect.any(String) } } });
    expect((await getDraft(mine, s))!.instruction).toBe('warm it up');
    await db().draft.update({ where: { sessionId: s }, data: { data: '{"instruction": 42' } });
    expect(await getDraft(mine, s)).toMatchObject({ instruction: '', references: [] });
  });
});
