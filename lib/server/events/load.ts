import 'server-only';
import type { SessionChange } from '@/lib/schemas/events';
import { db } from '../db/client';
import { runDto, runInclude, variationDto } from '../services/dto';
import type { ChangeEvent } from './types';

/** What one pending change is about; events for the same key are read once (./stream.ts). */
export type ChangeKey = `v:${string}` | `r:${string}` | 's';

export function changeKey(e: ChangeEvent): ChangeKey {
  if (e.variationId) return `v:${e.variationId}`;
  if (e.runId) return `r:${e.runId}`;
  return 's';
}

/**
 * The row a change is about, as it is stored now, for a stream of `sessionId` (opened in the
 * caller's workspace, so anything of that session is theirs). Null when it is not of this
 * session or does not exist at all: nothing is sent.
 */
export async function loadChange(sessionId: string, key: ChangeKey): Promise<SessionChange | null> {
  if (key === 's') return { type: 'session' };
  const id = key.slice(2);
  if (key.startsWith('v:')) {
    const v = await db().variation.findUnique({
      where: { id },
      include: { outputAsset: true, run: { select: { sessionId: true, number: true, instruction: true, deletedAt: true } } },
    });
    if (!v || v.run.sessionId !== sessionId) return null;
    if (v.deletedAt || v.run.deletedAt) return { type: 'variation-removed', runId: v.runId, variationId: v.id };
    return { type: 'variation', runId: v.runId, run: { number: v.run.number, instruction: v.run.instruction }, variation: variationDto(v) };
  }
  const run = await db().run.findUnique({ where: { id }, include: runInclude });
  if (!run || run.sessionId !== sessionId) return null;
  if (run.deletedAt) return { type: 'run-removed', runId: run.id };
  return { type: 'run', run: runDto(run) };
}
