import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
const { db } = await import('../db/client');
const { contextFor, ownerContext } = await import('../context');
const { createSession } = await import('./sessions');
const { submitRun } = await import('./runs');
const { listSessionVariations } = await import('./grid');
const { storedImage: image, finishVariation } = await import('../jobs/testing/seed');
const g = await import('./galleries');
const { reviewsForVariation } = await import('./galleries-read');
const actions = await import('../actions/galleries');

const ENGINE = 'offline:engine-v1';
const mine = ownerContext();
const theirs = contextFor({ kind: 'owner', workspaceId: 'other' });
const viewer = contextFor({ kind: 'viewer', workspaceId: 'local', galleryId: 'x', shareId: 'y' });

let reference = '';
/** Four finished variations (distinct outputs) and one still queued, in a session of `ctx`. */
async function variations(ctx = mine, colours = ['#110000', '#220000', '#330000', '#440000']) {
  const sessionId = await createSession(ctx, { title: 'Mugs' });
  const submit = (count: number) =>
    submitRun(ctx, {
      sessionId,
      instruction: 'put it on marble',
      negativePrompt: '',
      referenceIds: [reference],
      targets: [ENGINE],
      count,
      seed: 3,
      size: 'auto',
      format: 'png',
    });
  const run = await submit(Math.max(1, colours.length));
  const pending = await submit(1);
  const done: { id: string; assetId: string }[] = [];
  for (const [i, colour] of colours.entries()) {
    const id = run.variationIds[i]!;
    const out = await finishVariation(id, colour);
    done.push({ id, assetId: out.id });
  }
  return { sessionId, runId: run.runId, done, queued: pending.variationIds[0]! };
}

const order = async (id: string) => (await g.getGallery(mine, id)).items.map((i) => i.asset.id);

beforeAll(async () => {
  await db().workspace.create({ data: { id: 'other', name: 'Another team' } });
  reference = (await image('#abcdef')).id;
});

describe('creating and adding', () => {
  it('keeps the selection order and the variation link; skips unfinished variations', async () => {
    const { done, queued, runId, sessionId } = await variations();
    const created = await g.createGallery(mine, {
      title: 'Marble mugs',
      description: '',
      variationIds: [done[2]!.id, queued, done[0]!.id],
      items: [],
    });
    expect(created).toMatchObject({ added: 2, skipped: 1 });
    const gallery = await g.getGallery(mine, created.galleryId);
    expect(gallery.items.map((i) => [i.position, i.asset.id, i.variation?.id])).toEqual([
      [0, done[2]!.assetId, done[2]!.id],
      [1, done[0]!.assetId, done[0]!.id],
    ]);
    expect(gallery.items[0]!.variation).toMatchObject({
      runId,
      sessionId,
      runNumber: 1,
      instruction: 'put it on marble',
      provider: 'offline',
    });
  });

  it('adding is idempotent per image and appends after the last item', async () => {
    const { done } = await variations();
    const { galleryId } = await g.createGallery(mine, { title: 'Twice', description: '', variationIds: [done[0]!.id], items: [] });
    const again = await g.addGalleryItems(mine, { galleryId, variationIds: [done[0]!.id, done[1]!.id], items: [] });
    expect(again).toMatchObject({ added: 1, skipped: 1 });
    // The same image through the tray shape is the same item.
    const viaTray = await g.addGalleryItems(mine, {
      galleryId,
      variationIds: [],
      items: [{ assetId: done[1]!.assetId, variationId: done[1]!.id }],
    });
    expect(viaTray).toMatchObject({ added: 0, skipped: 1 });
    expect(await order(galleryId)).toEqual([done[0]!.assetId, done[1]!.assetId]);
    expect(await db().galleryItem.count({ where: { galleryId } })).toBe(2);
  });

  it('takes tray images: a reference of the workspace, never an asset it does not hold', async () => {
    const stranger = await image('#0f0f0f');
    const { galleryId } = await g.createGallery(mine, {
      title: 'Refs',
      description: '',
      variationIds: [],
      items: [{ assetId: reference }, { assetId: stranger.id }],
    });
    const gallery = await g.getGallery(mine, galleryId);
    expect(gallery.items.map((i) => [i.asset.id, i.variation])).toEqual([[reference, null]]);
  });

  it('refuses a selection with nothing finished, and changes nothing', async () => {
    const { queued } = await variations(mine, []);
    const before = await db().gallery.count();
    await expect(g.createGallery(mine, { title: 'Empty', description: '', variationIds: [queued], items: [] })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(await db().gallery.count()).toBe(before);
  });
});

describe('editing', () => {
  it('reorders to exactly the given order; a wrong id list is refused and changes nothing', async () => {
    const { done } = await variations();
    const { galleryId } = await g.createGallery(mine, { title: 'Order', description: '', variationIds: done.map((d) => d.id), items: [] });
    const items = (await g.getGallery(mine, galleryId)).items.map((i) => i.id);
    const [a, b, c, d] = items as [string, string, string, string];
    await g.reorderGallery(mine, { galleryId, itemIds: [d, a, c, b] });
    const after = await g.getGallery(mine, galleryId);
    expect(after.items.map((i) => i.id)).toEqual([d, a, c, b]);
    expect(after.items.map((i) => i.position)).toEqual([0, 1, 2, 3]);

    for (const itemIds of [
      [d, a, c],
      [d, a, c, b, 'extra'],
      [d, a, c, 'someone-else'],
    ]) {
      await expect(g.reorderGallery(mine, { galleryId, itemIds })).rejects.toMatchObject({ code: 'invalid_input' });
    }
    expect(await actions.reorderGalleryAction({ galleryId, itemIds: [d, d, c, b] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect((await g.getGallery(mine, galleryId)).items.map((i) => i.id)).toEqual([d, a, c, b]);
  });

  it('removes an item and closes the gap; captions; edits title and description', async () => {
    const { done } = await variations();
    const { galleryId } = await g.createGallery(mine, { title: 'Edit', description: '', variationIds: done.map((d) => d.id), items: [] });
    const ids = (await g.getGallery(mine, galleryId)).items.map((i) => i.id);
    await g.removeGalleryItem(mine, { galleryId, itemId: ids[1]! });
    expect(await actions.captionGalleryItemAction({ galleryId, itemId: ids[2]!, caption: '  The hero shot ' })).toMatchObject({ ok: true });
    await g.updateGallery(mine, { id: galleryId, title: 'Edited', description: 'For the Q3 catalog' });
    const after = await g.getGallery(mine, galleryId);
    expect(after.items.map((i) => [i.id, i.position, i.caption])).toEqual([
      [ids[0], 0, ''],
      [ids[2], 1, 'The hero shot'],
      [ids[3], 2, ''],
    ]);
    expect([after.title, after.description]).toEqual(['Edited', 'For the Q3 catalog']);
    await expect(g.removeGalleryItem(mine, { galleryId, itemId: ids[1]! })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('undoes a removal: the same item (id, caption, verdicts) back at its place; only once, only the caller’s image', async () => {
    const { done } = await variations();
    const { galleryId } = await g.createGallery(mine, { title: 'Undo', description: '', variationIds: done.map((d) => d.id), items: [] });
    const before = (await g.getGallery(mine, galleryId)).items;
    const gone = before[1]!;
    await g.captionGalleryItem(mine, { galleryId, itemId: gone.id, caption: 'Keep me' });
    await db().reviewVerdict.create({
      data: { id: 'undo-v', galleryId, itemId: gone.id, shareId: 's', reviewerId: 'ann', reviewerName: 'Ann', verdict: 'approve' },
    });
    await g.removeGalleryItem(mine, { galleryId, itemId: gone.id });
    const back = { galleryId, itemId: gone.id, assetId: gone.asset.id, variationId: gone.variation!.id, caption: 'Keep me', position: 1 };
    // Another workspace cannot put it back, nor can an image they do not hold come in this way.
    await expect(g.restoreGalleryItem(theirs, back)).rejects.toMatchObject({ code: 'not_found' });
    const foreign = await variations(theirs, ['#550000']);
    await expect(
      g.restoreGalleryItem(mine, { ...back, assetId: foreign.done[0]!.assetId, variationId: foreign.done[0]!.id }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await actions.restoreGalleryItemAction(back)).toMatchObject({ ok: true, data: { count: 4 } });
    const after = (await g.getGallery(mine, galleryId)).items;
    expect(after.map((i) => [i.id, i.position])).toEqual(before.map((i, n) => [i.id, n]));
    expect(after[1]).toMatchObject({ caption: 'Keep me', verdicts: [{ reviewerName: 'Ann', verdict: 'approve' }] });
    // A second undo is a no-op; an id of another gallery is refused.
    expect(await g.restoreGalleryItem(mine, back)).toEqual({ count: 4 });
    const other = await g.createGallery(mine, { title: 'Other', description: '', variationIds: [], items: [] });
    await expect(g.restoreGalleryItem(mine, { ...back, galleryId: other.galleryId })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('bad input through the actions is refused with a clear message and changes nothing', async () => {
    const { done } = await variations();
    const { galleryId } = await g.createGallery(mine, { title: 'Stable', description: 'd', variationIds: [done[0]!.id], items: [] });
    const itemId = (await g.getGallery(mine, galleryId)).items[0]!.id;
    const results = [
      await actions.createGalleryAction({ title: '   ' }),
      await actions.updateGalleryAction({ id: galleryId, title: '' }),
      await actions.updateGalleryAction({ id: galleryId }),
      await actions.captionGalleryItemAction({ galleryId, itemId, caption: 'x'.repeat(501) }),
      await actions.addGalleryItemsAction({ galleryId }),
    ];
    for (const r of results) expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.any(String) } });
    expect(results[0]).toMatchObject({ error: { message: 'A gallery needs a title.' } });
    const after = await g.getGallery(mine, galleryId);
    expect([after.title, after.description, after.items[0]!.caption, after.items.length]).toEqual(['Stable', 'd', '', 1]);
  });

  it('deletes softly (gone from the list and the page) and restores', async () => {
    const { galleryId } = await g.createGallery(mine, { title: 'Bin me', description: '', variationIds: [], items: [] });
    await g.deleteGallery(mine, { id: galleryId });
    expect((await g.listGalleries(mine)).map((x) => x.id)).not.toContain(galleryId);
    await expect(g.getGallery(mine, galleryId)).rejects.toMatchObject({ code: 'not_found' });
    expect(await db().gallery.count({ where: { id: galleryId } })).toBe(1);
    await g.restoreGallery(mine, { id: galleryId });
    expect((await g.listGalleries(mine)).map((x) => x.id)).toContain(galleryId);
  });
});

describe('scoping', () => {
  it('another workspace’s gallery is not found, for reads and every write', async () => {
    const their = await variations(theirs);
    const { galleryId } = await g.createGallery(theirs, { title: 'Theirs', description: '', variationIds: [their.done[0]!.id], items: [] });
    const itemId = (await g.getGallery(theirs, galleryId)).items[0]!.id;
    const nf = { code: 'not_found' };
    await expect(g.getGallery(mine, galleryId)).rejects.toMatchObject(nf);
    await expect(g.galleryActivity(mine, galleryId)).rejects.toMatchObject(nf);
    await expect(g.updateGallery(mine, { id: galleryId, title: 'pwned' })).rejects.toMatchObject(nf);
    await expect(g.captionGalleryItem(mine, { galleryId, itemId, caption: 'pwned' })).rejects.toMatchObject(nf);
    await expect(g.removeGalleryItem(mine, { galleryId, itemId })).rejects.toMatchObject(nf);
    await expect(g.reorderGallery(mine, { galleryId, itemIds: [itemId] })).rejects.toMatchObject(nf);
    await expect(g.deleteGallery(mine, { id: galleryId })).rejects.toMatchObject(nf);
    expect(await actions.markGallerySeenAction({ id: galleryId })).toMatchObject({ ok: false, error: nf });
    expect((await g.listGalleries(mine)).map((x) => x.id)).not.toContain(galleryId);
    const row = await g.getGallery(theirs, galleryId);
    expect([row.title, row.items[0]!.caption, row.seenAt]).toEqual(['Theirs', '', null]);
  });

  it('their variations never enter my gallery', async () => {
    // Colours nobody else used: assets are content-addressed, and identical bytes are one asset.
    const their = await variations(theirs, ['#990001', '#990002']);
    await expect(
      g.createGallery(mine, {
        title: 'Steal',
        description: '',
        variationIds: [their.done[0]!.id],
        items: [{ assetId: their.done[1]!.assetId, variationId: their.done[1]!.id }],
      }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('a share-link viewer never reaches the owner services', async () => {
    const { galleryId } = await g.createGallery(mine, { title: 'Mine', description: '', variationIds: [], items: [] });
    const forbidden = { code: 'forbidden' };
    await expect(g.listGalleries(viewer)).rejects.toMatchObject(forbidden);
    await expect(g.getGallery(viewer, galleryId)).rejects.toMatchObject(forbidden);
    await expect(g.updateGallery(viewer, { id: galleryId, title: 'x' })).rejects.toMatchObject(forbidden);
    await expect(g.verdictsForVariations(viewer, ['a'])).rejects.toMatchObject(forbidden);
    expect((await g.getGallery(mine, galleryId)).title).toBe('Mine');
  });
});

describe('review summary and activity', () => {
  async function review(galleryId: string, itemId: string, reviewerId: string, verdict: string, at: number, comment = '') {
    await db().reviewVerdict.create({
      data: {
        id: `${reviewerId}-${at}`,
        galleryId,
        itemId,
        shareId: 's',
        reviewerId,
        reviewerName: reviewerId.toUpperCase(),
        verdict,
        comment,
        createdAt: new Date(at),
      },
    });
  }

  it('counts each reviewer’s latest verdict; activity lists what came after the last look, newest first', async () => {
    const { done, sessionId } = await variations();
    const { galleryId } = await g.createGallery(mine, {
      title: 'Reviewed',
      description: '',
      variationIds: [done[0]!.id, done[1]!.id],
      items: [],
    });
    const [first, second] = (await g.getGallery(mine, galleryId)).items.map((i) => i.id) as [string, string];
    const t = Date.now() - 60_000;
    await review(galleryId, first, 'ann', 'reject', t);
    await review(galleryId, first, 'ann', 'approve', t + 1000); // Ann changed her mind
    await review(galleryId, first, 'bob', 'reject', t + 2000, 'too dark');
    await review(galleryId, second, 'bob', 'changes', t + 3000);
    await db().reviewComment.create({
      data: { id: 'c1', galleryId, shareId: 's', reviewerId: 'ann', reviewerName: 'ANN', body: 'Nice set', createdAt: new Date(t + 4000) },
    });

    const gallery = await g.getGallery(mine, galleryId);
    expect(gallery.review).toEqual({ approve: 1, reject: 1, changes: 1, comments: 2 });
    expect(gallery.items[0]!.verdicts.map((v) => [v.reviewerName, v.verdict])).toEqual([
      ['BOB', 'reject'],
      ['ANN', 'approve'],
    ]);
    const listed = (await g.listGalleries(mine)).find((x) => x.id === galleryId)!;
    expect(listed).toMatchObject({ itemCount: 2, review: gallery.review, cover: { id: done[0]!.assetId } });

    const reviews = await g.verdictsForVariations(mine, [done[0]!.id, done[1]!.id, done[2]!.id]);
    expect(reviews.get(done[0]!.id)).toMatchObject({
      approve: 1,
      reject: 1,
      changes: 0,
      comments: 1,
      latest: { verdict: 'reject', reviewerName: 'BOB' },
    });
    expect(reviews.get(done[1]!.id)).toMatchObject({ changes: 1 });
    expect(reviews.has(done[2]!.id)).toBe(false);
    expect((await reviewsForVariation(mine, done[0]!.id)).map((r) => [r.reviewerName, r.verdict, r.galleryTitle])).toEqual([
      ['BOB', 'reject', 'Reviewed'],
      ['ANN', 'approve', 'Reviewed'],
      ['ANN', 'reject', 'Reviewed'],
    ]);
    // The grid's DTO path carries the badge's data.
    const grid = await listSessionVariations(mine, sessionId, { limit: 50 });
    expect(grid.items.find((i) => i.id === done[0]!.id)?.review).toMatchObject({ approve: 1, reject: 1 });

    const all = await g.galleryActivity(mine, galleryId);
    expect(all.total).toBe(5);
    expect(all.entries.map((e) => [e.kind, e.reviewerName])).toEqual([
      ['comment', 'ANN'],
      ['verdict', 'BOB'],
      ['verdict', 'BOB'],
      ['verdict', 'ANN'],
      ['verdict', 'ANN'],
    ]);
    await g.markGallerySeen(mine, { id: galleryId });
    expect((await g.galleryActivity(mine, galleryId)).entries).toEqual([]);
    await review(galleryId, second, 'ann', 'approve', Date.now() + 1000, 'better now');
    const fresh = await g.galleryActivity(mine, galleryId);
    expect(fresh.entries.map((e) => [e.verdict, e.itemLabel, e.text])).toEqual([['approve', 'Item 2', 'better now']]);
  });

  it('opening a gallery (mark seen) does not move it up the recent list', async () => {
    const a = await g.createGallery(mine, { title: 'Older', description: '', variationIds: [], items: [] });
    await new Promise((r) => setTimeout(r, 5));
    const b = await g.createGallery(mine, { title: 'Newer', description: '', variationIds: [], items: [] });
    await g.markGallerySeen(mine, { id: a.galleryId });
    const ids = (await g.listGalleries(mine)).map((x) => x.id);
    expect(ids.indexOf(b.galleryId)).toBeLessThan(ids.indexOf(a.galleryId));
  });
});
