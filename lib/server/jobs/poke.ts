import 'server-only';
import { runsHere } from './active';

/**
 * A vendor's callback says a job changed: the poll loop of that variation polls now instead of
 * at its scheduled time. Only a hint: the adapter's authenticated poll decides what happened,
 * so a forged callback costs at most one poll, and never two within POKE_GAP_MS of each other.
 */
const POKE_GAP_MS = 1000;

type Entry = { pending: boolean; lastPokedAt: number; wake?: () => void };

const globalForPokes = globalThis as unknown as { proofsheetPokes?: Map<string, Entry> };
globalForPokes.proofsheetPokes ??= new Map();
const entries: Map<string, Entry> = globalForPokes.proofsheetPokes;

function entryFor(id: string): Entry {
  let e = entries.get(id);
  if (!e) {
    e = { pending: false, lastPokedAt: 0 };
    entries.set(id, e);
  }
  return e;
}

/** Entries of work that no longer runs here (finished, released) go. */
function prune(): void {
  for (const id of entries.keys()) if (!runsHere(id)) entries.delete(id);
}

/**
 * Polls the variation now when this process runs it; false (and nothing happens) otherwise:
 * another server's poll loop, or recovery, is the safety net.
 */
export function pokeVariation(id: string): boolean {
  prune();
  if (!runsHere(id)) return false;
  const e = entryFor(id);
  e.pending = true;
  e.wake?.();
  return true;
}

function abortError(): Error {
  return new DOMException('The operation was aborted', 'AbortError');
}

/**
 * The wait before the next poll: `ms`, cut short by a poke (held back until POKE_GAP_MS after
 * the last poked poll). Whichever ends it, a poke received so far is answered by this poll.
 */
export async function waitForPoll(id: string | undefined, ms: number, signal: AbortSignal): Promise<'timer' | 'poke'> {
  const deadline = Date.now() + ms;
  const e = id && runsHere(id) ? entryFor(id) : undefined;
  for (;;) {
    if (signal.aborted) throw abortError();
    const now = Date.now();
    if (e?.pending && now >= e.lastPokedAt + POKE_GAP_MS) {
      e.pending = false;
      e.lastPokedAt = now;
      return 'poke';
    }
    if (now >= deadline) {
      if (e) e.pending = false;
      return 'timer';
    }
    const until = e?.pending ? Math.min(deadline, e.lastPokedAt + POKE_GAP_MS) : deadline;
    await new Promise<void>((resolve, reject) => {
      const finish = (error?: Error) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (e?.wake === wake) e.wake = undefined;
        if (error) reject(error);
        else resolve();
      };
      const wake = () => finish();
      const onAbort = () => finish(abortError());
      const timer = setTimeout(wake, Math.max(0, until - now));
      signal.addEventListener('abort', onAbort, { once: true });
      if (e) e.wake = wake;
    });
  }
}
