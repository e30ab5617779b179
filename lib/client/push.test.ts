import { afterEach, describe, expect, it } from 'vitest';
import {
  BACKOFF_MAX_MS,
  backoffMs,
  pollInterval,
  POLL_FLAG,
  pollingDisabled,
  pushState,
  sessionPollInterval,
  setPushState,
  withJitter,
  type PushState,
} from './push';

const live: PushState = { status: 'live', complete: true, failures: 0 };

describe('the fallback backoff', () => {
  it('doubles from 1 s after each consecutive failure, up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50, 5000].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
    expect(backoffMs(0)).toBe(1000);
    expect(backoffMs(1e6)).toBe(BACKOFF_MAX_MS);
  });

  it('jitters by at most a quarter either way', () => {
    expect(withJitter(8000, 0)).toBe(6000);
    expect(withJitter(8000, 0.5)).toBe(8000);
    expect(withJitter(8000, 1)).toBe(10000);
  });
});

describe('when a session query polls', () => {
  it('never while nothing runs, nor with polling turned off', () => {
    expect(pollInterval(undefined, false, 700, false)).toBe(false);
    expect(pollInterval({ status: 'down', complete: false, failures: 3 }, false, 700, false)).toBe(false);
    expect(pollInterval(undefined, true, 700, true)).toBe(false);
    expect(pollInterval({ status: 'down', complete: false, failures: 3 }, true, 700, true)).toBe(false);
  });

  it('not at all while the stream is live and hears everything', () => {
    expect(pollInterval(live, true, 700, false)).toBe(false);
  });

  it('at its own cadence while the stream is live but cannot hear the worker', () => {
    expect(pollInterval({ ...live, complete: false }, true, 700, false)).toBe(700);
  });

  it('with the backoff while the stream is down or still opening, never faster than its own cadence', () => {
    expect([1, 2, 3, 6, 9].map((failures) => pollInterval({ status: 'down', complete: false, failures }, true, 700, false))).toEqual([
      1000, 2000, 4000, 30000, 30000,
    ]);
    expect(pollInterval({ status: 'connecting', complete: false, failures: 0 }, true, 700, false)).toBe(1000);
    expect(pollInterval({ status: 'down', complete: false, failures: 1 }, true, 5000, false)).toBe(5000);
  });

  it('as before push existed when no stream was opened for the page', () => {
    expect(pollInterval(undefined, true, 700, false)).toBe(700);
  });
});

describe('per-session state and the test flag', () => {
  afterEach(() => {
    setPushState('s1', undefined);
    delete (globalThis as { localStorage?: unknown }).localStorage;
  });

  it('keeps one state per session, removed when the page closes', () => {
    setPushState('s1', live);
    expect(pushState('s1')).toEqual(live);
    expect(sessionPollInterval('s1', true, 700)).toBe(false);
    expect(sessionPollInterval('s2', true, 700)).toBe(700);
    setPushState('s1', undefined);
    expect(pushState('s1')).toBeUndefined();
  });

  it('reads the flag from localStorage, and polls when storage is unavailable or refuses', () => {
    expect(pollingDisabled()).toBe(false);
    const store = new Map<string, string>([[POLL_FLAG, 'off']]);
    (globalThis as { localStorage?: unknown }).localStorage = { getItem: (k: string) => store.get(k) ?? null };
    expect(pollingDisabled()).toBe(true);
    expect(sessionPollInterval('s1', true, 700)).toBe(false);
    (globalThis as { localStorage?: unknown }).localStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(pollingDisabled()).toBe(false);
  });
});
