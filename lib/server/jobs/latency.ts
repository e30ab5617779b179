import 'server-only';
import { db } from '../db/client';

/** How many of a target's latest successful runs make its median. */
const LATENCY_SAMPLE = 20;
/** A median this old is read again: new runs move it, but not every poll loop needs a query. */
const TTL_MS = 10_000;
const CACHE_MAX = 2_000;

const cache = new Map<string, { medianMs: number | undefined; at: number }>();

/**
 * The target's usual provider time: the median, over its last LATENCY_SAMPLE successful runs,
 * of submit-started → stored. The stored moment includes the download and the store (tens of
 * ms against the fakes, up to a second or so for a far CDN), so the median is a little late of
 * the vendor's own finish; the polling window (poll-schedule.ts) is wide enough to hold that.
 * Undefined while the target has no such run. A median is cached per process for TTL_MS.
 */
export async function targetMedianMs(targetId: string): Promise<number | undefined> {
  const hit = cache.get(targetId);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.medianMs;
  // The (status, targetId) index narrows to this target's successes; the sort over them is cheap.
  const rows = await db().variation.findMany({
    where: { targetId, status: 'succeeded', submittedAt: { not: null }, finishedAt: { not: null } },
    orderBy: { finishedAt: 'desc' },
    take: LATENCY_SAMPLE,
    select: { submittedAt: true, finishedAt: true },
  });
  const medianMs = median(rows.map((r) => r.finishedAt!.getTime() - r.submittedAt!.getTime()).filter((ms) => ms > 0));
  // "No history yet" is not kept: the target's first runs should be learnt from at once.
  if (medianMs === undefined) return undefined;
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(targetId, { medianMs, at: Date.now() });
  return medianMs;
}

/**
 * What the poll loop needs about one variation: when it was submitted (a resumed job keeps its
 * original clock) and its target's median. Never throws: without it the loop polls as for a new
 * target.
 */
export async function pollTiming(variationId: string | undefined): Promise<{ submittedAt: number; medianMs: number | undefined }> {
  const now = Date.now();
  if (!variationId) return { submittedAt: now, medianMs: undefined };
  try {
    const v = await db().variation.findUnique({ where: { id: variationId }, select: { targetId: true, submittedAt: true } });
    if (!v) return { submittedAt: now, medianMs: undefined };
    return { submittedAt: v.submittedAt?.getTime() ?? now, medianMs: await targetMedianMs(v.targetId) };
  } catch (e) {
    console.warn('[worker] could not read the target latency:', e instanceof Error ? e.message : e);
    return { submittedAt: now, medianMs: undefined };
  }
}

/** A finished run changes its target's median: the next poll loop reads it afresh. */
export function forgetTargetLatency(targetId?: string): void {
  if (targetId) cache.delete(targetId);
  else cache.clear();
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
