'use client';

import { hashKey, type QueryClient, type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { GridPages } from '@/lib/grid/cache';
import { SESSION_EVENT, type SessionChange, type SessionStreamReady } from '@/lib/schemas/events';
import { backoffMs, pushState, setPushState, withJitter, type PushState } from './push';
import { gridQuery, lineageQuery, runFeedQuery } from './queries';
import type { RunFeed } from './run-feed-cache';
import { applyToFeed, applyToGrid, applyToLineage } from './session-event-cache';

/** A tab hidden this long closes its stream; browsers allow only six connections per server over HTTP/1.1. */
const HIDDEN_GRACE_MS = 10_000;

/**
 * Keeps an open session page current: one EventSource on `/api/sessions/:id/events`, whose
 * changes patch the run feed, grid and lineage caches the moment they arrive. While the stream is
 * live the queries do not poll (lib/client/push.ts); when it drops they poll, and the stream
 * reconnects, both backing off (1 s, 2 s, 4 s … 30 s); once it is back, one refetch catches up on
 * what was missed and polling stops. Mounted once per session page (the session layout).
 */
export function useSessionEvents(sessionId: string): void {
  const queryClient = useQueryClient();
  useEffect(() => connectSessionEvents(sessionId, queryClient), [sessionId, queryClient]);
}

/** The hook as a component, for a server layout to mount. Renders nothing. */
export function SessionEvents({ sessionId }: { sessionId: string }): null {
  useSessionEvents(sessionId);
  return null;
}

/** Opens the stream and returns its teardown (the hook without React, for tests). */
export function connectSessionEvents(sessionId: string, qc: QueryClient): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  const feedKey = runFeedQuery(sessionId).queryKey;
  const gridKey = gridQuery(sessionId).queryKey;
  const lineageKey = lineageQuery(sessionId).queryKey;
  let source: EventSource | null = null;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let hiddenTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const setState = (state: PushState) => setPushState(sessionId, state);

  // Queries fetching while a change arrives may land an older snapshot over the patch (or be
  // cancelled and put back what they started from): their changes are applied again once they settle.
  const replay = new Map<string, SessionChange[]>();
  const sessionQueries = new Set([feedKey, gridKey, lineageKey].map((k) => hashKey(k)));
  const stopWatching = qc.getQueryCache().subscribe((e) => {
    if (e.type !== 'updated' || e.query.state.fetchStatus !== 'idle') return;
    // A fallback poll got through: the server is back, so reconnect now rather than at the next backoff step.
    if (
      e.action.type === 'success' &&
      !e.action.manual &&
      !source &&
      pushState(sessionId)?.status === 'down' &&
      sessionQueries.has(e.query.queryHash)
    )
      open();
    const changes = replay.get(e.query.queryHash);
    if (!changes) return;
    replay.delete(e.query.queryHash);
    queueMicrotask(() => {
      for (const change of changes) apply(change);
    });
  });

  /** Patches one cache in place; false when it cannot (the caller refetches). */
  function patch<T>(key: QueryKey, change: SessionChange, edit: (data: T) => T | null): boolean {
    const query = qc.getQueryCache().find({ queryKey: key, exact: true });
    if (query?.state.data === undefined) return true;
    const next = edit(query.state.data as T);
    if (next === null) return false;
    if (next !== query.state.data) qc.setQueryData(key, next);
    if (query.state.fetchStatus === 'fetching') replay.set(query.queryHash, [...(replay.get(query.queryHash) ?? []), change]);
    return true;
  }

  function apply(change: SessionChange): void {
    if (closed) return;
    if (change.type === 'session') {
      resync();
      return;
    }
    patch<RunFeed>(feedKey, change, (d) => applyToFeed(d, change));
    patch<GridPages>(gridKey, change, (d) => applyToGrid(d, change));
    if (!patch<unknown>(lineageKey, change, (d) => applyToLineage(d, change)))
      void qc.invalidateQueries({ queryKey: lineageKey, exact: true });
  }

  /** Fetches again what may have changed unheard (before the stream opened, or while it was down). */
  function resync(): void {
    for (const queryKey of [feedKey, gridKey, lineageKey]) void qc.invalidateQueries({ queryKey, exact: true });
  }

  function open(): void {
    if (closed || source) return;
    clearTimeout(retryTimer);
    setState({ status: failures > 0 ? 'down' : 'connecting', complete: false, failures });
    const es = new EventSource(`/api/sessions/${encodeURIComponent(sessionId)}/events`);
    source = es;
    es.addEventListener(SESSION_EVENT.ready, (m) => {
      const ready = JSON.parse((m as MessageEvent<string>).data) as SessionStreamReady;
      failures = 0;
      setState({ status: 'live', complete: ready.complete, failures: 0 });
      // Also re-reads each query's refetchInterval (now off).
      resync();
    });
    es.addEventListener(SESSION_EVENT.change, (m) => apply(JSON.parse((m as MessageEvent<string>).data) as SessionChange));
    es.onerror = () => {
      if (source !== es) return;
      // Reconnect ourselves, with backoff (the browser's own retry has none).
      es.close();
      source = null;
      const wasLive = pushState(sessionId)?.status === 'live';
      failures += 1;
      setState({ status: 'down', complete: false, failures });
      // Polling takes over: fetch now, which also re-reads the interval (the error shows "Reconnecting").
      if (wasLive) resync();
      retryTimer = setTimeout(open, withJitter(backoffMs(failures)));
    };
  }

  function pause(): void {
    clearTimeout(retryTimer);
    source?.close();
    source = null;
    failures = 0;
    setState({ status: 'paused', complete: false, failures: 0 });
  }

  const onVisibility = () => {
    clearTimeout(hiddenTimer);
    if (document.visibilityState === 'hidden') hiddenTimer = setTimeout(pause, HIDDEN_GRACE_MS);
    else if (!source && pushState(sessionId)?.status === 'paused') open();
  };
  document.addEventListener('visibilitychange', onVisibility);
  open();

  return () => {
    closed = true;
    clearTimeout(retryTimer);
    clearTimeout(hiddenTimer);
    document.removeEventListener('visibilitychange', onVisibility);
    stopWatching();
    source?.close();
    source = null;
    setPushState(sessionId, undefined);
  };
}
