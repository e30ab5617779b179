import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { db } from '../db/client';
import { subscribe } from '../events/bus';
import { guardedFetch, type GuardedOptions } from '../net/fetch';
import { redact } from '../redact';
import { ownerContext } from '../context';
import { getApiRun } from './runs';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';

export type DeliveryOptions = {
  attempts?: number;
  /** The wait before retry n is baseDelayMs × 2^(n-1): 1 s, 2 s, 4 s, 8 s by default. */
  baseDelayMs?: number;
  /** Tests: the outbound guard's allow-list and resolver. */
  guard?: Pick<GuardedOptions, 'allow' | 'resolve'>;
};

export type DeliveryResult = { delivered: boolean; attempts: number; lastError?: string };

/**
 * One signed POST, retried with backoff until a 2xx or the attempts run out. Through the
 * outbound guard: a pipeline's URL must be public, or named in OUTBOUND_ALLOW_HOSTS, so a
 * token cannot make the studio call its own network. Each attempt is signed afresh (the
 * timestamp is part of the signature, and receivers refuse old ones).
 */
export async function deliverWebhook(url: string, secret: string, body: string, options: DeliveryOptions = {}): Promise<DeliveryResult> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 1000;
  let lastError = '';
  for (let n = 1; n <= attempts; n++) {
    try {
      const res = await guardedFetch(
        url,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            [SIGNATURE_HEADER]: signWebhook(secret, body),
            'User-Agent': 'Proofsheet-Webhook/1',
          },
          body,
        },
        { timeoutMs: 10_000, maxBytes: 64 * 1024, redirect: 'same-origin', ...options.guard },
      );
      if (res.ok) return { delivered: true, attempts: n };
      lastError = `HTTP ${res.status}`;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    if (n < attempts) await sleep(base * 2 ** (n - 1));
  }
  return { delivered: false, attempts, lastError: redact(lastError).slice(0, 500) };
}

/**
 * Sends the run.finished event of a run once: the row is claimed (pending → sending) so the
 * listener and the immediate check cannot both send it.
 */
async function sendRunWebhook(runId: string, options: DeliveryOptions = {}): Promise<DeliveryResult | undefined> {
  const { count } = await db().apiRunWebhook.updateMany({ where: { runId, state: 'pending' }, data: { state: 'sending' } });
  if (count !== 1) return undefined;
  const hook = await db().apiRunWebhook.findUnique({ where: { runId } });
  const token = hook && (await db().apiToken.findUnique({ where: { id: hook.tokenId } }));
  if (!hook || !token || token.revokedAt) {
    await db().apiRunWebhook.update({ where: { runId }, data: { state: 'failed', lastError: 'The token was revoked.' } });
    return undefined;
  }
  const run = await getApiRun(ownerContext(token.workspaceId), runId);
  const body = JSON.stringify({ type: 'run.finished', createdAt: new Date().toISOString(), run });
  const result = await deliverWebhook(hook.url, token.webhookSecret, body, options);
  await db().apiRunWebhook.update({
    where: { runId },
    data: result.delivered
      ? { state: 'delivered', attempts: result.attempts, deliveredAt: new Date(), lastError: null }
      : { state: 'failed', attempts: result.attempts, lastError: result.lastError ?? null },
  });
  return result;
}

async function runFinished(runId: string): Promise<boolean> {
  const open = await db().variation.count({ where: { runId, deletedAt: null, status: { in: ['queued', 'submitting', 'running'] } } });
  return open === 0;
}

/**
 * Remembers a run's webhook and listens to its session's change events (lib/server/events: every
 * stored change of a variation is announced there, by the engine and the services alike) until
 * every variation is terminal. Checked once at once as well: fast targets can finish first.
 */
export async function watchRunWebhook(
  input: { runId: string; sessionId: string; tokenId: string; url: string },
  options: DeliveryOptions = {},
): Promise<void> {
  await db().apiRunWebhook.create({ data: { runId: input.runId, tokenId: input.tokenId, url: input.url } });
  listen(input.runId, input.sessionId, options);
}

function listen(runId: string, sessionId: string, options: DeliveryOptions): void {
  let done = false;
  const check = async () => {
    if (done || !(await runFinished(runId))) return;
    done = true;
    unsubscribe();
    await sendRunWebhook(runId, options);
  };
  const unsubscribe = subscribe(sessionId, (event) => {
    if (event.runId === runId || event.runId === null) void check().catch(logFailure);
  });
  void check().catch(logFailure);
}

function logFailure(e: unknown): void {
  console.error('[webhooks-out] could not send a run webhook:', e instanceof Error ? redact(e.message) : e);
}

const globalForResume = globalThis as unknown as { proofsheetWebhooksResumed?: boolean };

/**
 * Listeners live in memory, so a restart forgets them. The first API request of a process
 * picks up every webhook still owed (a delivery cut off mid-way is sent again: receivers
 * must treat run.finished as idempotent, keyed by run id).
 */
export function resumePendingWebhooksOnce(): void {
  if (globalForResume.proofsheetWebhooksResumed) return;
  globalForResume.proofsheetWebhooksResumed = true;
  void (async () => {
    await db().apiRunWebhook.updateMany({ where: { state: 'sending' }, data: { state: 'pending' } });
    const pending = await db().apiRunWebhook.findMany({ where: { state: 'pending' }, select: { runId: true } });
    for (const { runId } of pending) {
      const run = await db().run.findUnique({ where: { id: runId }, select: { sessionId: true } });
      if (run) listen(runId, run.sessionId, {});
    }
  })().catch(logFailure);
}

/**
 * Tells a pipeline that a batch it created finished: one signed `batch.finished` POST, sent by
 * whoever moved the batch to done (that move is a conditional UPDATE, so exactly once).
 */
export async function sendBatchWebhook(batchId: string, options: DeliveryOptions = {}): Promise<DeliveryResult | undefined> {
  const batch = await db().batch.findUnique({
    where: { id: batchId },
    select: { id: true, status: true, webhookUrl: true, tokenId: true, finishedAt: true, items: { select: { status: true } } },
  });
  if (!batch?.webhookUrl || !batch.tokenId) return undefined;
  const token = await db().apiToken.findUnique({ where: { id: batch.tokenId } });
  if (!token || token.revokedAt) return undefined;
  const count = (status: string) => batch.items.filter((i) => i.status === status).length;
  const body = JSON.stringify({
    type: 'batch.finished',
    batch: {
      id: batch.id,
      status: batch.status,
      finishedAt: batch.finishedAt?.toISOString() ?? null,
      progress: { total: batch.items.length, done: count('done'), failed: count('failed'), cancelled: count('cancelled') },
    },
  });
  return deliverWebhook(batch.webhookUrl, token.webhookSecret, body, options);
}
