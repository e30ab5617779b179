import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionChange } from '@/lib/schemas/events';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir({ WORKER_ENABLED: '1' });
// The route runs outside a Next.js request here: no cookie, no Authorization header (the local owner).
vi.mock('next/headers', () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined }) }));
const { db } = await import('../db/client');
const { contextFor, ownerContext } = await import('../context');
const { createSession } = await import('../services/sessions');
const { submitRun } = await import('../services/runs');
const { eventBus } = await import('./bus');
const { notifyItemsChanged, notifyVariationChanged } = await import('./notify');
const { closeAllStreams, sessionEventStream } = await import('./stream');
const route = await import('@/app/api/sessions/[id]/events/route');
const { storedImage } = await import('../jobs/testing/seed');

const mine = ownerContext();
let sessionId = '';
let theirSessionId = '';
let runId = '';
let variationId = '';

beforeAll(async () => {
  await db().workspace.create({ data: { id: 'other', name: 'Another team' } });
  const assetId = (await storedImage('#345678')).id;
  sessionId = await createSession(mine, {});
  theirSessionId = await createSession(contextFor({ kind: 'owner', workspaceId: 'other' }), {});
  const run = await submitRun(mine, {
    sessionId,
    instruction: 'make it teal',
    negativePrompt: '',
    referenceIds: [assetId],
    targets: ['offline:engine-v1'],
    count: 2,
    seed: 1,
    size: 'auto',
    format: 'png',
  });
  runId = run.runId;
  variationId = run.variationIds[0]!;
});

type Sse = { event: string; data: string };

/** Reads a stream of Server-Sent Events as it arrives, message by message. */
function sseReader(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let ended = false;
  return {
    /** The next message or comment block, raw (null once the stream has ended). */
    async nextBlock(): Promise<string | null> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          return block;
        }
        if (ended) return null;
        const { value, done } = await reader.read();
        if (done) ended = true;
        else buffer += decoder.decode(value, { stream: true });
      }
    },
    /** The next message with an event name, skipping comments. */
    async next(): Promise<Sse | null> {
      for (;;) {
        const block = await this.nextBlock();
        if (block === null) return null;
        const lines = block.split('\n');
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
        if (event && data !== undefined) return { event, data };
      }
    },
    async change(): Promise<SessionChange> {
      const m = await this.next();
      expect(m?.event).toBe('change');
      return JSON.parse(m!.data) as SessionChange;
    },
    cancel: () => reader.cancel(),
  };
}

function get(id: string, signal: AbortSignal) {
  return route.GET(new Request(`http://127.0.0.1:3000/api/sessions/${id}/events`, { signal }), { params: Promise.resolve({ id }) });
}

describe('GET /api/sessions/:id/events', () => {
  it('answers an event stream that is never cached, says ready, and hints the reconnect delay', async () => {
    const abort = new AbortController();
    const res = await get(sessionId, abort.signal);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const sse = sseReader(res.body!);
    const first = await sse.nextBlock();
    expect(first).toMatch(/^retry: \d+\n/);
    expect(first).toContain('event: ready');
    expect(JSON.parse(first!.split('data: ')[1]!)).toEqual({ sessionId, complete: true });
    abort.abort();
  });

  it('sends a stored variation change as the variation itself', async () => {
    const abort = new AbortController();
    const sse = sseReader((await get(sessionId, abort.signal)).body!);
    expect((await sse.next())?.event).toBe('ready');
    await db().variation.update({ where: { id: variationId }, data: { status: 'running', jobId: 'job-1' } });
    await notifyVariationChanged(variationId);
    const change = await sse.change();
    expect(change).toMatchObject({ type: 'variation', runId, run: { number: 1, instruction: 'make it teal' } });
    expect(change.type === 'variation' && change.variation).toMatchObject({ id: variationId, status: 'running', jobId: 'job-1' });
    abort.abort();
  });

  it('reads a row changed several times before its turn once, and never sends an older state after a newer one', async () => {
    const abort = new AbortController();
    const sse = sseReader((await get(sessionId, abort.signal)).body!);
    expect((await sse.next())?.event).toBe('ready');
    const bus = eventBus();
    await db().variation.update({ where: { id: variationId }, data: { status: 'succeeded' } });
    for (let i = 0; i < 5; i++) bus.publish({ sessionId, runId, variationId, status: 'succeeded' });
    bus.publish({ sessionId, runId, variationId: null, status: null });
    // The first event is read at once; the four repeats while it is read become one read.
    const changes = [await sse.change(), await sse.change(), await sse.change()];
    expect(changes.map((c) => c.type)).toEqual(['variation', 'variation', 'run']);
    const run = changes[2]!;
    expect(run.type === 'run' && run.run.variations.find((v) => v.id === variationId)?.status).toBe('succeeded');
    abort.abort();
  });

  it('says when a run or a variation is deleted, and what a restore brings back', async () => {
    const abort = new AbortController();
    const sse = sseReader((await get(sessionId, abort.signal)).body!);
    expect((await sse.next())?.event).toBe('ready');
    await db().run.update({ where: { id: runId }, data: { deletedAt: new Date() } });
    await notifyItemsChanged('run', [runId]);
    expect(await sse.change()).toEqual({ type: 'run-removed', runId });
    await notifyItemsChanged('variation', [variationId]);
    expect(await sse.change()).toEqual({ type: 'variation-removed', runId, variationId });
    await db().run.update({ where: { id: runId }, data: { deletedAt: null } });
    await notifyItemsChanged('run', [runId]);
    expect(await sse.change()).toMatchObject({ type: 'run', run: { id: runId, number: 1 } });
    await notifyItemsChanged('session', [sessionId]);
    expect(await sse.change()).toEqual({ type: 'session' });
    abort.abort();
  });

  it('hears nothing of other sessions', async () => {
    const abort = new AbortController();
    const sse = sseReader(sessionEventStream(sessionId, abort.signal, { heartbeatMs: 30 }));
    expect((await sse.next())?.event).toBe('ready');
    eventBus().publish({ sessionId: theirSessionId, runId, variationId, status: 'running' });
    // Only heartbeats follow.
    expect(await sse.nextBlock()).toBe(': keep-alive');
    abort.abort();
    expect(await sse.next()).toBeNull();
  });

  it('ends and unsubscribes when the client goes away (request aborted, or the reader cancels)', async () => {
    const before = eventBus().listenerCount(sessionId);
    const abort = new AbortController();
    const sse = sseReader((await get(sessionId, abort.signal)).body!);
    expect((await sse.next())?.event).toBe('ready');
    expect(eventBus().listenerCount(sessionId)).toBe(before + 1);
    abort.abort();
    expect(await sse.next()).toBeNull();
    expect(eventBus().listenerCount(sessionId)).toBe(before);

    const other = sseReader((await get(sessionId, new AbortController().signal)).body!);
    expect((await other.next())?.event).toBe('ready');
    expect(eventBus().listenerCount(sessionId)).toBe(before + 1);
    await other.cancel();
    expect(eventBus().listenerCount(sessionId)).toBe(before);
  });

  it('sends heartbeats while idle', async () => {
    const abort = new AbortController();
    const sse = sseReader(sessionEventStream(sessionId, abort.signal, { heartbeatMs: 20 }));
    expect((await sse.next())?.event).toBe('ready');
    expect(await sse.nextBlock()).toBe(': keep-alive');
    expect(await sse.nextBlock()).toBe(': keep-alive');
    abort.abort();
  });

  it("another workspace's session is a 404 before any stream opens", async () => {
    const before = eventBus().listenerCount();
    const res = await get(theirSessionId, new AbortController().signal);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect((await res.json()).error.code).toBe('not_found');
    expect((await get('no-such-session', new AbortController().signal)).status).toBe(404);
    expect(eventBus().listenerCount()).toBe(before);
  });

  // On Postgres the bus spans processes (LISTEN/NOTIFY), so the stream is complete anyway.
  it('says the stream is incomplete when the worker runs in another process and the bus does not reach it', async () => {
    process.env.WORKER_ENABLED = '0';
    const { resetEnvCache } = await import('../env');
    resetEnvCache();
    try {
      const abort = new AbortController();
      const sse = sseReader(sessionEventStream(sessionId, abort.signal));
      const ready = await sse.next();
      expect(JSON.parse(ready!.data)).toEqual({ sessionId, complete: eventBus().spansProcesses });
      expect(eventBus().spansProcesses).toBe(process.env.PROOFSHEET_TEST_DB === 'postgres');
      abort.abort();
    } finally {
      process.env.WORKER_ENABLED = '1';
      resetEnvCache();
    }
  });

  // Last: it leaves the process "shutting down".
  it('ends every open stream on shutdown, so the server can stop, and opens none after', async () => {
    const before = eventBus().listenerCount();
    const a = sseReader(sessionEventStream(sessionId, new AbortController().signal));
    const b = sseReader((await get(sessionId, new AbortController().signal)).body!);
    expect((await a.next())?.event).toBe('ready');
    expect((await b.next())?.event).toBe('ready');
    closeAllStreams();
    expect(await a.next()).toBeNull();
    expect(await b.next()).toBeNull();
    expect(eventBus().listenerCount()).toBe(before);
    expect(await sseReader(sessionEventStream(sessionId, new AbortController().signal)).nextBlock()).toBeNull();
    expect(eventBus().listenerCount()).toBe(before);
    (globalThis as unknown as { proofsheetEventStreams: { closing: boolean } }).proofsheetEventStreams.closing = false;
  });
});
