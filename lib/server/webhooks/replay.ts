import 'server-only';
import { TOLERANCE_SECONDS } from './schemes';

/**
 * Message keys seen within the tolerance window (a replay outside it fails the timestamp check
 * instead). In memory: a replay that reaches another server could at most poke a poll there.
 * Bounded, oldest first out, so a flood of valid-looking keys cannot grow it without end.
 */
const MAX_KEYS = 10_000;
const KEEP_MS = 2 * TOLERANCE_SECONDS * 1000;

const globalForReplay = globalThis as unknown as { proofsheetWebhookSeen?: Map<string, number> };
globalForReplay.proofsheetWebhookSeen ??= new Map();
const seen: Map<string, number> = globalForReplay.proofsheetWebhookSeen;

/** True the first time a key is seen in the window; false for a replay. */
export function firstDelivery(key: string, now = Date.now()): boolean {
  for (const [k, at] of seen) {
    if (now - at < KEEP_MS && seen.size < MAX_KEYS) break;
    seen.delete(k);
  }
  if (seen.has(key)) return false;
  seen.set(key, now);
  return true;
}
