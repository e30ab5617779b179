import 'server-only';
import type { Adaptation } from '@/lib/schemas/run';
import type { InputImage } from '../providers/types';

export type AdaptedInputs = { images: InputImage[]; adaptations: Adaptation[] };

type Entry = { value: Promise<AdaptedInputs>; usedAt: number };

/** A run fans out to a handful of targets; a few runs in flight at once is the common case. */
const MAX_ENTRIES = 24;
/** Long enough for every variation of a run to start, short enough not to hold images for long. */
const TTL_MS = 10 * 60_000;

const globalForCache = globalThis as unknown as { proofsheetAdaptedInputs?: Map<string, Entry> };
globalForCache.proofsheetAdaptedInputs ??= new Map();
const cache: Map<string, Entry> = globalForCache.proofsheetAdaptedInputs;

/**
 * The references of one run adapted for one target, computed once and shared by every
 * variation of that pair (resizing, stitching and re-encoding are the CPU-heavy part of a
 * submit, and the result is the same for all of them). Concurrent callers share one promise;
 * a failure is not kept, so the next variation tries again.
 */
export function adaptedInputsFor(
  runId: string,
  targetId: string,
  adapt: () => Promise<AdaptedInputs>,
  now = Date.now(),
): Promise<AdaptedInputs> {
  for (const [key, entry] of cache) if (now - entry.usedAt > TTL_MS) cache.delete(key);
  const key = `${runId}\u0000${targetId}`;
  const hit = cache.get(key);
  if (hit) {
    hit.usedAt = now;
    // Re-inserted so the Map's order stays least recently used first.
    cache.delete(key);
    cache.set(key, hit);
    return hit.value;
  }
  const value = adapt();
  cache.set(key, { value, usedAt: now });
  value.catch(() => {
    if (cache.get(key)?.value === value) cache.delete(key);
  });
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return value;
}
