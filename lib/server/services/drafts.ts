import 'server-only';
import type { z } from 'zod';
import type { Draft, saveDraftSchema } from '@/lib/schemas/draft';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { decode, encode } from '../db/decoders';
import { requireSession } from './sessions';

/** The composer's saved state for a session, or null when nothing was typed yet. */
export async function getDraft(ctx: Ctx, sessionId: string): Promise<(Draft & { updatedAt: string }) | null> {
  const row = await db().draft.findFirst({ where: { sessionId, workspaceId: ctx.workspaceId } });
  return row ? { ...decode.draft(row.data), updatedAt: row.updatedAt.toISOString() } : null;
}

/**
 * Saves the composer as it changes (the client debounces). Last write wins: two tabs typing in
 * the same session at once is not a case worth merging, and a reload shows the newest.
 */
export async function saveDraft(ctx: Ctx, input: z.output<typeof saveDraftSchema>): Promise<{ updatedAt: string }> {
  await requireSession(ctx, input.sessionId);
  const data = encode.draft(input.draft);
  const row = await db().draft.upsert({
    where: { sessionId: input.sessionId },
    create: { sessionId: input.sessionId, workspaceId: ctx.workspaceId, data },
    update: { data },
  });
  return { updatedAt: row.updatedAt.toISOString() };
}
