/**
 * Whether a session's page hears its changes pushed (lib/client/use-session-events.ts), and so
 * whether its queries still need to poll (lib/client/queries.ts). Module state, read by the
 * queries' `refetchInterval` each time they settle; one entry per open session page.
 */

export type PushStatus =
  /** Opening the stream (the first time, or again after the tab was hidden). */
  | 'connecting'
  /** Connected: changes arrive as they are stored. */
  | 'live'
  /** The stream dropped; reconnecting with backoff, polling meanwhile. */
  | 'down'
  /** Closed while the tab is hidden (hidden tabs neither poll nor hold a connection). */
  | 'paused';

export type PushState = {
  status: PushStatus;
  /** False when the server cannot hear every change (its worker runs in another process). */
  complete: boolean;
  /** Consecutive failed connections. */
  failures: number;
};

const states = new Map<string, PushState>();

export function pushState(sessionId: string): PushState | undefined {
  return states.get(sessionId);
}

export function setPushState(sessionId: string, state: PushState | undefined): void {
  if (state) states.set(sessionId, state);
  else states.delete(sessionId);
}

export const BACKOFF_FIRST_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;

/** Wait after the n-th consecutive failure (n ≥ 1): 1 s, 2 s, 4 s … 30 s. */
export function backoffMs(failures: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** Math.max(0, failures - 1));
}

/** ±25 %, so tabs that lost the same server do not all come back in the same instant. */
export function withJitter(ms: number, random = Math.random()): number {
  return Math.round(ms * (0.75 + 0.5 * random));
}

/** Test and debug only: `localStorage['proofsheet:poll'] = 'off'` stops all of the studio's polling. */
export const POLL_FLAG = 'proofsheet:poll';

export function pollingDisabled(): boolean {
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem(POLL_FLAG) === 'off';
  } catch {
    return false; // storage refused (privacy settings): poll as usual
  }
}

/**
 * The refetch interval of a session query that polls while something runs (`everyMs` is its
 * cadence without push). Nothing running, or polling turned off: none. The stream live and
 * complete: none, changes are pushed. The stream down: polling with the stream's backoff. No
 * stream on the page at all (`state` undefined): as before push existed.
 */
export function pollInterval(
  state: PushState | undefined,
  running: boolean,
  everyMs: number,
  disabled = pollingDisabled(),
): number | false {
  if (!running || disabled) return false;
  if (!state) return everyMs;
  if (state.status === 'live') return state.complete ? false : everyMs;
  return Math.max(everyMs, backoffMs(state.failures));
}

/** `pollInterval` for one session, as the queries call it. */
export function sessionPollInterval(sessionId: string, running: boolean, everyMs: number): number | false {
  return pollInterval(pushState(sessionId), running, everyMs);
}
