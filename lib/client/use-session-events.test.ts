import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunDto, VariationDto } from '@/lib/schemas/run';
import { pushState } from './push';
import { runFeedQuery } from './queries';
import type { RunFeed } from './run-feed-cache';
import { connectSessionEvents } from './use-session-events';

/** Just enough of EventSource: the test plays the server. */
class FakeEventSource {
  static all: FakeEventSource[] = [];
  readonly listeners = new Map<string, (m: { data: string }) => void>();
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  addEventListener(type: string, fn: (m: { data: string }) => void) {
    this.listeners.set(type, fn);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data: unknown) {
    this.listeners.get(type)?.({ data: JSON.stringify(data) });
  }
  static last() {
    return FakeEventSource.all.at(-1)!;
  }
}

const variation = (status: VariationDto['status']) =>
  ({ id: 'v1', targetId: 't', index: 0, status, starred: true, rating: null, note: '', output: null }) as VariationDto;
const feed = (status: VariationDto['status']): RunFeed => ({
  pages: [
    {
      runs: [
        {
          id: 'r1',
          createdAt: '2026-01-01T00:00:00.000Z',
          starred: false,
          rating: null,
          note: '',
          variations: [variation(status)],
        } as unknown as RunDto,
      ],
      nextCursor: null,
    },
  ],
  pageParams: [undefined],
});

let qc: QueryClient;
let close: () => void;

beforeEach(() => {
  vi.useFakeTimers();
  FakeEventSource.all = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  vi.stubGlobal('document', { visibilityState: 'visible', addEventListener: () => {}, removeEventListener: () => {} });
  qc = new QueryClient();
  // No fetches in these tests: the queries are never observed, only their cache entries.
  vi.spyOn(qc, 'invalidateQueries').mockResolvedValue();
  qc.setQueryData(runFeedQuery('s1').queryKey, feed('running'));
  close = connectSessionEvents('s1', qc);
});

afterEach(() => {
  close();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("a session page's event stream", () => {
  it('opens one stream for the session; once ready, polling stops and what may have been missed is fetched once', () => {
    expect(FakeEventSource.all.map((e) => e.url)).toEqual(['/api/sessions/s1/events']);
    expect(pushState('s1')?.status).toBe('connecting');
    FakeEventSource.last().emit('ready', { sessionId: 's1', complete: true });
    expect(pushState('s1')).toEqual({ status: 'live', complete: true, failures: 0 });
    expect(qc.invalidateQueries).toHaveBeenCalledTimes(3);
  });

  it('patches the run feed in place when a change arrives, keeping the star', () => {
    const es = FakeEventSource.last();
    es.emit('ready', { sessionId: 's1', complete: true });
    es.emit('change', {
      type: 'variation',
      runId: 'r1',
      run: { number: 1, instruction: 'x' },
      variation: { ...variation('succeeded'), starred: false },
    });
    const v = qc.getQueryData(runFeedQuery('s1').queryKey)!.pages[0]!.runs[0]!.variations[0]!;
    expect([v.status, v.starred]).toEqual(['succeeded', true]);
  });

  it('when the stream drops: polls, and reconnects after 1 s, 2 s, 4 s … ±25 %; back to no polling once ready', async () => {
    FakeEventSource.last().emit('ready', { sessionId: 's1', complete: true });
    vi.mocked(qc.invalidateQueries).mockClear();
    for (const [failures, wait] of [
      [1, 1000],
      [2, 2000],
      [3, 4000],
      [4, 8000],
    ] as const) {
      FakeEventSource.last().onerror!();
      expect(FakeEventSource.all.at(-1)!.closed).toBe(true);
      expect(pushState('s1')).toEqual({ status: 'down', complete: false, failures });
      const opened = FakeEventSource.all.length;
      await vi.advanceTimersByTimeAsync(wait * 0.75 - 1);
      expect(FakeEventSource.all.length).toBe(opened);
      await vi.advanceTimersByTimeAsync(wait * 0.5 + 2);
      expect(FakeEventSource.all.length).toBe(opened + 1);
    }
    // Only the drop from live refetched (polling takes over); failed reconnects do not.
    expect(qc.invalidateQueries).toHaveBeenCalledTimes(3);
    FakeEventSource.last().emit('ready', { sessionId: 's1', complete: true });
    expect(pushState('s1')).toEqual({ status: 'live', complete: true, failures: 0 });
  });

  it('reconnects at once when a fallback poll gets through (the server is back), not on a cache edit', async () => {
    FakeEventSource.last().emit('ready', { sessionId: 's1', complete: true });
    FakeEventSource.last().onerror!();
    const opened = FakeEventSource.all.length;
    qc.setQueryData(runFeedQuery('s1').queryKey, feed('running'));
    expect(FakeEventSource.all.length).toBe(opened);
    await qc.fetchQuery({ queryKey: ['runs', 's1'], queryFn: async () => feed('succeeded'), staleTime: 0 });
    expect(FakeEventSource.all.length).toBe(opened + 1);
  });

  it('closes the stream and forgets the session when the page goes', () => {
    const es = FakeEventSource.last();
    close();
    expect(es.closed).toBe(true);
    expect(pushState('s1')).toBeUndefined();
    es.emit('change', { type: 'run-removed', runId: 'r1' });
    expect(qc.getQueryData(runFeedQuery('s1').queryKey)!.pages[0]!.runs).toHaveLength(1);
  });
});
