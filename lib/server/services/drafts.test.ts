import { describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
const { db } = await import('../db/client');
const { ownerContext } = await import('../context');
const { createSession } = await import('./sessions');
const { getDraft, saveDraft } = await import('./drafts');
const { saveDraftSchema } = await import('@/lib/schemas/draft');

const ctx = ownerContext();
const KONTEXT = 'replicate:black-forest-labs/flux-kontext-pro';

describe('drafts keep the vendor safety settings', () => {
  it('round-trips safety by target like the other parameters', async () => {
    const sessionId = await createSession(ctx, { title: 'Draft safety' });
    const draft = saveDraftSchema.parse({
      sessionId,
      draft: { instruction: 'warmer light', targets: [KONTEXT], guidance: 4, safety: { [KONTEXT]: 1, 'fal:fal-ai/wan/v2.7/edit': false } },
    }).draft;
    await saveDraft(ctx, { sessionId, draft });
    const back = await getDraft(ctx, sessionId);
    expect(back?.safety).toEqual({ [KONTEXT]: 1, 'fal:fal-ai/wan/v2.7/edit': false });
    expect(back?.guidance).toBe(4);
  });

  it('drops a stored safety value that no longer fits, keeping the rest of the draft', async () => {
    const sessionId = await createSession(ctx, { title: 'Draft old safety' });
    await saveDraft(ctx, { sessionId, draft: saveDraftSchema.parse({ sessionId, draft: { instruction: 'keep me' } }).draft });
    await db().draft.update({
      where: { sessionId },
      data: { data: JSON.stringify({ instruction: 'keep me', safety: { [KONTEXT]: 'very strict' } }) },
    });
    const back = await getDraft(ctx, sessionId);
    expect(back?.instruction).toBe('keep me');
    expect(back?.safety).toBeUndefined();
  });

  it('drops an out-of-range safety value sent by a client instead of refusing the whole save', () => {
    const parsed = saveDraftSchema.parse({ sessionId: 's', draft: { instruction: 'x', safety: { [KONTEXT]: 99 } } });
    expect(parsed.draft.safety).toBeUndefined();
    expect(parsed.draft.instruction).toBe('x');
  });
});
