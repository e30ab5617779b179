import 'server-only';
import { decode } from '../db/decoders';
import { db } from '../db/client';
import { publish } from './bus';

/**
 * The one way the engine and the services announce a stored change to open pages. Called right
 * after the write, fire-and-forget (`void notifyVariationChanged(id)`): these never throw and
 * never hold up the caller's work; a lost event costs a page its live update, never data.
 */

/** Past this many changed variations in one session, one "session changed" replaces them. */
const MAX_EVENTS_PER_SESSION = 200;

/** One variation changed (its status, job id, output, adaptations, or its deletion). */
export function notifyVariationChanged(variationId: string): Promise<void> {
  return notifyVariationsChanged([variationId]);
}

/** Several variations changed (a cancel, a delete, recovery). One query finds their sessions. */
export async function notifyVariationsChanged(variationIds: readonly string[]): Promise<void> {
  if (variationIds.length === 0) return;
  try {
    const rows = await db().variation.findMany({
      where: { id: { in: [...new Set(variationIds)] } },
      select: { id: true, runId: true, status: true, run: { select: { sessionId: true } } },
    });
    const bySession = new Map<string, typeof rows>();
    for (const r of rows) {
      const list = bySession.get(r.run.sessionId);
      if (list) list.push(r);
      else bySession.set(r.run.sessionId, [r]);
    }
    for (const [sessionId, changed] of bySession) {
      if (changed.length > MAX_EVENTS_PER_SESSION) {
        publish({ sessionId, runId: null, variationId: null, status: null });
        continue;
      }
      for (const r of changed) publish({ sessionId, runId: r.runId, variationId: r.id, status: decode.status(r.status) });
    }
  } catch (e) {
    console.error('[events] could not announce a variation change:', e instanceof Error ? e.message : e);
  }
}

/** A run was created, deleted or restored. The caller knows its session, so nothing is read. */
export function notifyRunChanged(runId: string, sessionId: string): void {
  publish({ sessionId, runId, variationId: null, status: null });
}

/** Soft delete and restore of sessions, runs or variations (lib/server/services/edits.ts). */
export async function notifyItemsChanged(kind: 'session' | 'run' | 'variation', ids: readonly string[]): Promise<void> {
  if (kind === 'variation') return notifyVariationsChanged(ids);
  if (kind === 'session') {
    for (const sessionId of ids) publish({ sessionId, runId: null, variationId: null, status: null });
    return;
  }
  try {
    const runs = await db().run.findMany({ where: { id: { in: [...ids] } }, select: { id: true, sessionId: true } });
    for (const r of runs) notifyRunChanged(r.id, r.sessionId);
  } catch (e) {
    console.error('[events] could not announce a run change:', e instanceof Error ? e.message : e);
  }
}
