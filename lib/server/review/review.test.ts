import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
const { db } = await import('../db/client');
const { contextFor, ownerContext } = await import('../context');
const { createSession } = await import('../services/sessions');
const { submitRun } = await import('../services/runs');
const { createShare, listShares, revokeShare } = await import('./shares');
const { resolveShare } = await import('./viewer');
const { reviewPage, nextBlindPair } = await import('./review-read');
const { addComment, addVerdict, addVote } = await import('./review-write');
const { blindResults, revealGallery, setGalleryMode } = await import('./blind-admin');
const { storedImage } = await import('../jobs/testing/seed');

const owner = ownerContext();
const stranger = contextFor({ kind: 'owner', workspaceId: 'other' });
const ann = { reviewerId: 'a'.repeat(22), name: 'Ann' };
const bob = { reviewerId: 'b'.repeat(22), name: 'Bob' };
const BASE = '/api/review/T';
const ids = { gallery: '', other: '', items: [] as string[], otherItem: '' };

const image = (colour: string) => storedImage(colour, 'output');

const tokenOf = (url: string) => url.split('/').pop()!;

beforeAll(async () => {
  await db().workspace.create({ data: { id: 'other', name: 'Another team' } });
  const ref = await image('#102030');
  const session = await createSession(owner, { title: 'Blind test' });
  const run = await submitRun(owner, {
    sessionId: session,
    instruction: 'make it teal',
    negativePrompt: '',
    referenceIds: [ref.id],
    targets: ['offline:engine-v1'],
    count: 2,
    seed: 1,
    size: 'auto',
    format: 'png',
  });
  // Two engine outputs and one of another target, as a fan-out would leave them.
  const outs = await Promise.all(['#ff0000', '#00ff00', '#0000ff'].map(image));
  const [v1, v2] = run.variationIds;
  await db().variation.update({ where: { id: v1! }, data: { status: 'succeeded', outputAssetId: outs[0]!.id } });
  await db().variation.update({ where: { id: v2! }, data: { status: 'succeeded', outputAssetId: outs[1]!.id } });
  const v3 = await db().variation.create({
    data: {
      id: 'v3',
      runId: run.runId,
      targetId: 'fal:fal-ai/flux-pro/kontext',
      provider: 'fal',
      model: 'fal-ai/flux-pro/kontext',
      index: 0,
      seed: 3,
      status: 'succeeded',
      outputAssetId: outs[2]!.id,
    },
  });
  ids.gallery = 'g1';
  ids.other = 'g2';
  await db().gallery.create({ data: { id: 'g1', workspaceId: 'local', title: 'Hero shots' } });
  await db().gallery.create({ data: { id: 'g2', workspaceId: 'local', title: 'Other' } });
  ids.items = ['i1', 'i2', 'i3'];
  await db().galleryItem.createMany({
    data: [
      { id: 'i1', galleryId: 'g1', assetId: outs[0]!.id, variationId: v1!, position: 0, caption: 'engine one' },
      { id: 'i2', galleryId: 'g1', assetId: outs[1]!.id, variationId: v2!, position: 1 },
      { id: 'i3', galleryId: 'g1', assetId: outs[2]!.id, variationId: v3.id, position: 2, caption: 'the FLUX one' },
    ],
  });
  await db().galleryItem.create({ data: { id: 'x1', galleryId: 'g2', assetId: outs[0]!.id, variationId: v1!, position: 0 } });
  ids.otherItem = 'x1';
});

describe('share links (owner)', () => {
  it('creates, lists and revokes; stores only the hash', async () => {
    const made = await createShare(owner, { galleryId: ids.gallery, expiresIn: '7d' });
    expect(made.url).toMatch(/^\/r\/[A-Za-z0-9_-]{43}$/);
    const row = await db().shareLink.findUniqueOrThrow({ where: { id: made.link.id } });
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(tokenOf(made.url));
    expect(made.link.state).toBe('active');
    expect((await listShares(owner, { galleryId: ids.gallery })).map((l) => l.id)).toContain(made.link.id);
    expect((await revokeShare(owner, { shareId: made.link.id })).state).toBe('revoked');
    expect(await resolveShare(tokenOf(made.url))).toEqual({ state: 'revoked' });
  });

  it('puts the link under PUBLIC_BASE_URL when set, the address other devices reach', async () => {
    const { resetEnvCache } = await import('../env');
    process.env.PUBLIC_BASE_URL = 'https://studio.example.com/';
    resetEnvCache();
    try {
      const made = await createShare(owner, { galleryId: ids.gallery, expiresIn: '1d' });
      expect(made.url).toMatch(/^https:\/\/studio\.example\.com\/r\/[A-Za-z0-9_-]{43}$/);
      expect((await resolveShare(tokenOf(made.url))).state).toBe('active');
    } finally {
      delete process.env.PUBLIC_BASE_URL;
      resetEnvCache();
    }
  });

  it('refuses another workspace and viewers', async () => {
    await expect(createShare(stranger, { galleryId: ids.gallery, expiresIn: 'never' })).rejects.toMatchObject({ code: 'not_found' });
    const made = await createShare(owner, { galleryId: ids.gallery, expiresIn: 'never' });
    await expect(revokeShare(stranger, { shareId: made.link.id })).rejects.toMatchObject({ code: 'not_found' });
    const r = await resolveShare(tokenOf(made.url));
    if (r.state !== 'active') throw new Error('expected active');
    await expect(listShares(r.ctx, { galleryId: ids.gallery })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(createShare(r.ctx, { galleryId: ids.gallery, expiresIn: 'never' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('resolves unknown and expired tokens', async () => {
    expect(await resolveShare('nope')).toEqual({ state: 'not_found' });
    expect(await resolveShare('A'.repeat(43))).toEqual({ state: 'not_found' });
    const made = await createShare(owner, { galleryId: ids.gallery, expiresIn: '1d' });
    const later = new Date(Date.now() + 25 * 3600 * 1000);
    expect(await resolveShare(tokenOf(made.url), later)).toEqual({ state: 'expired' });
  });
});

describe('reviewing through a link', () => {
  it('appends verdicts; each reviewer keeps their own latest; writes after a revoke are refused', async () => {
    const made = await createShare(owner, { galleryId: ids.gallery, expiresIn: 'never' });
    const r = await resolveShare(tokenOf(made.url));
    if (r.state !== 'active') throw new Error('expected active');
    await addVerdict(r.ctx, ann, { itemId: 'i1', verdict: 'reject', comment: 'too red' });
    await addVerdict(r.ctx, bob, { itemId: 'i1', verdict: 'approve', comment: '' });
    await addVerdict(r.ctx, ann, { itemId: 'i1', verdict: 'approve', comment: 'fine now' });
    await addComment(r.ctx, bob, { body: 'Overall good' });
    await expect(addVerdict(r.ctx, ann, { itemId: ids.otherItem, verdict: 'approve', comment: '' })).rejects.toMatchObject({
      code: 'not_found',
    });

    const page = await reviewPage(r.ctx, { base: BASE, reviewerId: ann.reviewerId });
    const first = page.items.find((i) => i.id === 'i1')!;
    expect(first.verdicts.map((v) => [v.reviewerName, v.verdict, v.comment, v.mine])).toEqual([
      ['Bob', 'approve', '', false],
      ['Ann', 'approve', 'fine now', true],
    ]);
    // Another device's reviewer id never reaches a reviewer (it would let them speak as that device).
    expect(JSON.stringify(page)).not.toContain(bob.reviewerId);
    expect(await db().reviewVerdict.count({ where: { itemId: 'i1' } })).toBe(3);
    expect(page.items.map((i) => i.id)).toEqual(['i1', 'i2', 'i3']);
    expect(page.items[2]!.target).toContain('FLUX');
    expect(page.items[0]!.previewUrl).toBe(`${BASE}/items/i1/preview`);
    expect(page.comments.map((c) => c.body)).toEqual(['Overall good']);
    expect(JSON.stringify(page)).not.toMatch(/v3|"g1"|sha/);

    await revokeShare(owner, { shareId: made.link.id });
    await expect(addVerdict(r.ctx, ann, { itemId: 'i2', verdict: 'approve', comment: '' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(addComment(r.ctx, ann, { body: 'late' })).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('blind comparison', () => {
  it('hides targets, pairs across targets, scores the votes, and reveals', async () => {
    const made = await createShare(owner, { galleryId: ids.gallery, expiresIn: 'never' });
    const r = await resolveShare(tokenOf(made.url));
    if (r.state !== 'active') throw new Error('expected active');
    const results = await setGalleryMode(owner, { galleryId: ids.gallery, mode: 'blind' });
    expect(results.warnings).toEqual([]);

    const page = await reviewPage(r.ctx, { base: BASE });
    expect(page.items).toEqual([]);
    const json = JSON.stringify(page) + JSON.stringify(await nextBlindPair(r.ctx, { base: BASE, reviewerId: ann.reviewerId }));
    expect(json, json).not.toMatch(/\bfal\b|flux|offline|engine/i);

    // Ann votes on every pair she is offered: two engine-vs-flux pairs, never engine-vs-engine.
    for (let n = 0; n < 2; n++) {
      const pair = await nextBlindPair(r.ctx, { base: BASE, reviewerId: ann.reviewerId });
      expect(pair).not.toBeNull();
      expect([pair!.left.id, pair!.right.id]).toContain('i3');
      expect(pair!.left.originalUrl).toBeNull();
      const flux = pair!.left.id === 'i3' ? 'left' : 'right';
      await addVote(r.ctx, ann, { leftId: pair!.left.id, rightId: pair!.right.id, choice: n === 0 ? flux : 'same' });
    }
    expect(await nextBlindPair(r.ctx, { base: BASE, reviewerId: ann.reviewerId })).toBeNull();
    await expect(addVote(r.ctx, ann, { leftId: 'i1', rightId: 'i3', choice: 'left' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(addVote(r.ctx, bob, { leftId: 'i1', rightId: 'i2', choice: 'left' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(addVote(r.ctx, bob, { leftId: 'i1', rightId: ids.otherItem, choice: 'left' })).rejects.toMatchObject({
      code: 'not_found',
    });

    const scored = await blindResults(owner, { galleryId: ids.gallery });
    expect(scored.totalVotes).toBe(2);
    const flux = scored.scores.find((s) => s.target.includes('FLUX'))!;
    expect(flux).toMatchObject({ votes: 2, wins: 1, ties: 1, losses: 0, rate: 0.75, items: 1 });
    expect(flux.low).toBeGreaterThan(0);
    expect(flux.high).toBeLessThanOrEqual(1);

    await revealGallery(owner, { galleryId: ids.gallery });
    const revealed = await reviewPage(r.ctx, { base: BASE });
    expect(revealed.revealed).toBe(true);
    expect(revealed.items[2]!.target).toContain('FLUX');
    await expect(addVote(r.ctx, bob, { leftId: 'i1', rightId: 'i3', choice: 'left' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('warns when a gallery has one target', async () => {
    const results = await setGalleryMode(owner, { galleryId: ids.other, mode: 'blind' });
    expect(results.warnings.join(' ')).toMatch(/at least two/);
  });
});
