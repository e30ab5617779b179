import 'server-only';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { VariationStatus } from '@/lib/schemas/run';
import { createMemoryBus } from './memory-bus';
import type { ChangeEvent, EventBus } from './types';

/**
 * The bus across processes on PostgreSQL: LISTEN/NOTIFY on one channel.
 * https://www.postgresql.org/docs/current/sql-notify.html — a payload must be shorter than
 * 8000 bytes, notifications are delivered only to sessions listening at commit time, in the
 * order sent by one session, and a listener that was disconnected misses what was sent
 * meanwhile. Hence:
 * - events carry ids only (the SSE side reads the row itself, ./load.ts); the events of one
 *   tick are sent together, packed into as few payloads under MAX_PAYLOAD_BYTES as fit;
 * - subscribers in this process hear our own events at once, through the in-process bus; the
 *   copy that comes back through Postgres is recognised by its origin and dropped;
 * - one dedicated listening connection per process, opened with the first subscriber (a worker
 *   process, which only publishes, never holds one), reconnected with backoff when it drops;
 *   after a reconnect every subscribed session hears "session changed", so open pages read
 *   again whatever they may have missed;
 * - publishing never throws and never waits: a lost NOTIFY costs a page its live update (the
 *   studio's client polls as a fallback), never data.
 */
export const CHANNEL = 'proofsheet_changes';
const MAX_PAYLOAD_BYTES = 7900;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

type Wire = { o: string; e: [string, string | null, string | null, string | null][] };

export type PgBusOptions = {
  url: string;
  /** Another channel (tests, or two studios on one database). */
  channel?: string;
  log?: (message: string) => void;
};

export type PgEventBus = EventBus & {
  /** Resolves once the listening connection is up (tests, readiness). */
  listening(): Promise<void>;
  close(): Promise<void>;
};

export function createPgBus(options: PgBusOptions): PgEventBus {
  const channel = options.channel ?? CHANNEL;
  const log = options.log ?? ((m: string) => console.error(`[events] ${m}`));
  const origin = randomBytes(6).toString('base64url');
  const local = createMemoryBus();
  // Publishing: one pooled connection, so the payloads of this process go out in order.
  const sender = new pg.Pool({ connectionString: options.url, max: 1, idleTimeoutMillis: 10_000 });
  sender.on('error', (e) => log(`notify connection failed: ${e.message}`));
  let outbox: ChangeEvent[] = [];
  let flushing = false;

  let closed = false;
  let listener: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let attempts = 0;
  let everConnected = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let waiters: (() => void)[] = [];

  const deliver = (wire: Wire) => {
    if (wire.o === origin) return;
    for (const [sessionId, runId, variationId, status] of wire.e) {
      local.publish({ sessionId, runId, variationId, status: status as VariationStatus | null });
    }
  };

  const connect = (): Promise<void> => {
    connecting ??= (async () => {
      const client = new pg.Client({ connectionString: options.url, keepAlive: true });
      client.on('notification', (msg) => {
        if (msg.channel !== channel || !msg.payload) return;
        try {
          deliver(JSON.parse(msg.payload) as Wire);
        } catch {
          log('a notification that is not ours was ignored');
        }
      });
      const dropped = (why: string) => {
        if (listener !== client) return;
        listener = null;
        client.removeAllListeners('end');
        void client.end().catch(() => {});
        if (!closed) {
          log(`listening connection lost (${why}); reconnecting`);
          schedule();
        }
      };
      client.on('error', (e) => dropped(e.message));
      client.on('end', () => dropped('closed'));
      try {
        await client.connect();
        await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      } catch (e) {
        await client.end().catch(() => {});
        throw e;
      }
      if (closed) {
        await client.end().catch(() => {});
        return;
      }
      listener = client;
      attempts = 0;
      const reconnected = everConnected;
      everConnected = true;
      for (const w of waiters) w();
      waiters = [];
      // What was sent while we were away is lost: every open page reads its session again.
      if (reconnected) for (const sessionId of local.sessions()) local.publish({ sessionId, runId: null, variationId: null, status: null });
    })()
      .catch((e) => {
        log(`could not listen for changes: ${e instanceof Error ? e.message : e}`);
        schedule();
      })
      .finally(() => {
        connecting = null;
      });
    return connecting;
  };

  const schedule = () => {
    if (closed || retryTimer) return;
    const ms = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** attempts++);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, ms);
    retryTimer.unref?.();
  };

  const flush = async () => {
    if (flushing) return;
    flushing = true;
    try {
      while (outbox.length > 0 && !closed) {
        const batch = outbox;
        outbox = [];
        for (const payload of pack(origin, batch)) {
          try {
            await sender.query('SELECT pg_notify($1, $2)', [channel, payload]);
          } catch (e) {
            log(`could not announce a change: ${e instanceof Error ? e.message : e}`);
          }
        }
      }
    } finally {
      flushing = false;
    }
  };

  return {
    spansProcesses: true,
    publish(event) {
      local.publish(event);
      if (closed) return;
      outbox.push(event);
      // The events of one tick go out together.
      if (outbox.length === 1) queueMicrotask(() => void flush());
    },
    subscribe(sessionId, l) {
      if (!listener && !closed) void connect();
      return local.subscribe(sessionId, l);
    },
    listenerCount: (sessionId) => local.listenerCount(sessionId),
    listening() {
      if (listener) return Promise.resolve();
      if (!connecting && !retryTimer) void connect();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      const client = listener;
      listener = null;
      await flush().catch(() => {});
      await Promise.allSettled([client?.end(), sender.end()]);
    },
  };
}

/** Events as payloads under the NOTIFY limit, in order. */
function pack(origin: string, events: ChangeEvent[]): string[] {
  const payloads: string[] = [];
  const head = `{"o":${JSON.stringify(origin)},"e":[`;
  let parts: string[] = [];
  let size = head.length + 2;
  for (const e of events) {
    const part = JSON.stringify([e.sessionId, e.runId, e.variationId, e.status]);
    const bytes = Buffer.byteLength(part) + 1;
    if (parts.length > 0 && size + bytes > MAX_PAYLOAD_BYTES) {
      payloads.push(`${head}${parts.join(',')}]}`);
      parts = [];
      size = head.length + 2;
    }
    parts.push(part);
    size += bytes;
  }
  if (parts.length > 0) payloads.push(`${head}${parts.join(',')}]}`);
  return payloads;
}
