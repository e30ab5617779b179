import 'server-only';
import { SESSION_EVENT, type SessionStreamReady } from '@/lib/schemas/events';
import { env } from '../env';
import { eventBus } from './bus';
import { changeKey, loadChange, type ChangeKey } from './load';

export const HEARTBEAT_MS = 15_000;
/** The reconnect delay a plain EventSource uses; the studio's own client backs off further. */
export const RETRY_MS = 2_000;

export type StreamOptions = { heartbeatMs?: number; retryMs?: number };

const encoder = new TextEncoder();

/**
 * Every stream open in this process. A stream never ends by itself, and `next start` answers
 * SIGTERM by waiting for open requests to finish: without this the server would not stop (a
 * container would be killed after its grace period) while any page is open. On the signal every
 * stream ends; the pages fall back to polling and reconnect to the next server.
 */
type OpenStreams = { stops: Set<() => void>; closing: boolean; hooked: boolean };
const globalForStreams = globalThis as unknown as { proofsheetEventStreams?: OpenStreams };
globalForStreams.proofsheetEventStreams ??= { stops: new Set(), closing: false, hooked: false };
const open: OpenStreams = globalForStreams.proofsheetEventStreams;

/** Ends every open stream, and any opened from now on at once (the server is shutting down). */
export function closeAllStreams(): void {
  open.closing = true;
  for (const stop of [...open.stops]) stop();
}

function track(stop: () => void): () => void {
  open.stops.add(stop);
  if (!open.hooked) {
    open.hooked = true;
    // Beside Next.js's own handlers, which then see the requests end and exit.
    process.once('SIGTERM', closeAllStreams);
    process.once('SIGINT', closeAllStreams);
  }
  return () => open.stops.delete(stop);
}

/**
 * A session's Server-Sent Events: `ready` once subscribed (anything changed before it must be
 * fetched), then one `change` per changed row, read after the change was stored, and a comment
 * line as heartbeat so proxies and the browser keep an idle connection open. The subscription
 * ends with the request (`signal`) or when the reader cancels.
 *
 * Changes are read one at a time, in the order they were heard, and a row changed again before
 * its turn is read once: what is sent never goes back in time, and a burst costs one read per
 * row, not per event. The caller has checked that the session is the caller's.
 */
export function sessionEventStream(sessionId: string, signal: AbortSignal, options: StreamOptions = {}): ReadableStream<Uint8Array> {
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const pending = new Set<ChangeKey>();
      let reading = false;

      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const send = (event: string, data: unknown) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

      const readPending = async () => {
        if (reading) return;
        reading = true;
        try {
          while (!closed && pending.size > 0) {
            const key = pending.values().next().value as ChangeKey;
            pending.delete(key);
            try {
              const change = await loadChange(sessionId, key);
              if (change) send(SESSION_EVENT.change, change);
            } catch (e) {
              console.error('[events] could not read a change:', e instanceof Error ? e.message : e);
            }
          }
        } finally {
          reading = false;
        }
      };

      const bus = eventBus();
      const unsubscribe = bus.subscribe(sessionId, (e) => {
        pending.add(changeKey(e));
        void readPending();
      });
      const heartbeat = setInterval(() => write(': keep-alive\n\n'), options.heartbeatMs ?? HEARTBEAT_MS);
      heartbeat.unref?.();

      stop = () => {
        if (closed) return;
        closed = true;
        untrack();
        unsubscribe();
        clearInterval(heartbeat);
        signal.removeEventListener('abort', stop);
        pending.clear();
        try {
          controller.close();
        } catch {
          // already closed or errored by the reader
        }
      };
      const untrack = track(stop);
      if (signal.aborted || open.closing) return stop();
      signal.addEventListener('abort', stop);

      const ready: SessionStreamReady = { sessionId, complete: bus.spansProcesses || env().WORKER_ENABLED !== '0' };
      write(`retry: ${options.retryMs ?? RETRY_MS}\n`);
      send(SESSION_EVENT.ready, ready);
    },
    cancel() {
      stop();
    },
  });
}

/** The stream as an HTTP response: never cached, never compressed or buffered on the way. */
export function sessionEventResponse(sessionId: string, signal: AbortSignal, options?: StreamOptions): Response {
  return new Response(sessionEventStream(sessionId, signal, options), {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      // no-transform: compression middleware (and proxies) would otherwise hold events back.
      'Cache-Control': 'no-store, no-transform',
      'X-Accel-Buffering': 'no',
    },
  });
}
