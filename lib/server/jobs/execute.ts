import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { findTarget, parseSize, PROVIDERS } from '@/lib/providers/catalog';
import { runParamsSchema } from '@/lib/schemas/run';
import { db } from '../db/client';
import { env } from '../env';
import { isProviderError, ProviderError } from '../providers/errors';
import { redact } from '../providers/http';
import { getAdapter } from '../providers/registry';
import type { AdapterContext, ProviderAdapter } from '../providers/types';
import { blobKey, requireBlob } from '../storage';
import { publicUrlFor } from '../public-url';
import { adaptInputs } from './adapt-inputs';
import { storeOutput } from './store-output';
import { workerOwner } from './lease';

type Finished = Extract<Awaited<ReturnType<ProviderAdapter['poll']>>, { state: 'succeeded' }>;

/**
 * Runs one claimed variation to the end: adapt inputs, submit, store the job id, poll with
 * backoff inside the vendor's deadline, download and store the output. Every write is
 * conditional on still holding the lease, so a cancel or a recovery elsewhere wins.
 */
export async function executeVariation(variationId: string, signal: AbortSignal): Promise<void> {
  const owner = workerOwner();
  const v = await db().variation.findUnique({
    where: { id: variationId },
    include: { run: { include: { references: { include: { asset: true }, orderBy: { position: 'asc' } } } } },
  });
  if (!v) return;
  const mine = { id: v.id, leaseOwner: owner };
  try {
    const target = findTarget(v.targetId);
    const adapter = target ? getAdapter(target.provider) : undefined;
    if (!target || !adapter) throw new ProviderError({ code: 'bad_input', message: `Unknown target ${v.targetId}.` });
    if (!adapter.configured()) {
      const info = PROVIDERS[target.provider];
      throw new ProviderError({ code: 'auth', message: `${info.label} is not configured: add ${info.envKey} to .env.` });
    }
    const ctx: AdapterContext = { signal, publicUrlFor };
    let handle = v.jobHandle;
    let pollAfterMs: number | undefined;
    let finished: Finished | undefined;

    if (!handle) {
      const params = runParamsSchema.parse(JSON.parse(v.run.params));
      const sources = await Promise.all(
        v.run.references.map(async (r) => ({ ...r.asset, bytes: await requireBlob(blobKey(r.asset.sha256)) })),
      );
      const { images, adaptations } = await adaptInputs(sources, target.capabilities, { keepWebp: target.provider === 'offline' });
      if (adaptations.length > 0) await db().variation.updateMany({ where: mine, data: { adaptations: JSON.stringify(adaptations) } });
      const caps = target.capabilities;
      const submitted = await adapter.submit(
        {
          model: target.model,
          prompt: v.run.instruction,
          negativePrompt: caps.negativePrompt && v.run.negativePrompt ? v.run.negativePrompt : undefined,
          images,
          seed: v.seed,
          size: parseSize(params.size),
          outputFormat: params.format,
          strength: caps.strength ? params.strength : undefined,
          guidance: caps.guidance ? params.guidance : undefined,
          idempotencyKey: `${v.id}:${v.attempt}`,
        },
        ctx,
      );
      if (submitted.kind === 'done') {
        finished = { state: 'succeeded', images: submitted.images, usage: submitted.usage, blockedCount: submitted.blockedCount };
      } else {
        // The job id is stored before the first poll: after a crash we poll, not resubmit.
        handle = submitted.handle;
        pollAfterMs = submitted.pollAfterMs;
        await db().variation.updateMany({
          where: mine,
          data: { status: 'running', jobId: submitted.jobId, jobHandle: handle, submittedAt: new Date() },
        });
      }
    }
    if (!finished) {
      const since = (v.submittedAt ?? new Date()).getTime();
      finished = await pollUntilDone(adapter, handle!, since + adapter.deadlineMs, ctx, pollAfterMs);
    }
    const stored = await storeOutput(finished, signal);
    const cost = finished.usage?.costUsd ?? target.capabilities.pricePerImageUsd;
    await db().variation.updateMany({
      where: mine,
      data: {
        status: 'succeeded',
        outputAssetId: stored.id,
        finishedAt: new Date(),
        costUsd: cost ?? null,
        costSource: finished.usage?.costUsd !== undefined ? 'provider' : cost !== null ? 'estimate' : null,
        errorCode: null,
        errorMessage: null,
        leaseOwner: null,
        leaseUntil: null,
      },
    });
  } catch (e) {
    await handleFailure(v.id, v.attempt, Boolean(v.jobHandle), e, signal);
  }
}

async function pollUntilDone(
  adapter: ProviderAdapter,
  handle: string,
  deadline: number,
  ctx: AdapterContext,
  firstWaitMs?: number,
): Promise<Finished> {
  let wait = firstWaitMs ?? 1000;
  let transientErrors = 0;
  for (;;) {
    await sleep(Math.min(Math.max(wait, 200), 10_000), undefined, { signal: ctx.signal });
    if (Date.now() > deadline) {
      await adapter.cancel?.(handle, ctx).catch(() => {});
      throw new ProviderError({ code: 'timeout', message: `No result within ${Math.round(adapter.deadlineMs / 1000)} s; the job was cancelled where the provider allows it.` });
    }
    let result;
    try {
      result = await adapter.poll(handle, ctx);
      transientErrors = 0;
    } catch (e) {
      // A failed poll is not a failed job: keep polling the same job a few times.
      if (isProviderError(e) && e.retryable && ++transientErrors <= 5) {
        wait = Math.max(e.retryAfterMs ?? 0, wait * 2);
        continue;
      }
      throw e;
    }
    if (result.state === 'succeeded') return result;
    if (result.state === 'failed') throw result.error;
    if (result.state === 'cancelled') throw new ProviderError({ code: 'interrupted', message: 'The job was cancelled at the provider.' });
    wait = result.pollAfterMs ?? Math.min(wait * 1.5, 10_000);
  }
}

async function handleFailure(id: string, attempt: number, hadHandle: boolean, e: unknown, signal: AbortSignal): Promise<void> {
  const owner = workerOwner();
  const mine = { id, leaseOwner: owner };
  if (signal.aborted && !(isProviderError(e) && e.code !== 'interrupted')) {
    // Lost the lease (cancelled, or the server is stopping): leave the row to whoever took it.
    return;
  }
  const err = isProviderError(e)
    ? e
    : new ProviderError({ code: 'provider_error', message: e instanceof Error ? e.message : String(e) });
  const max = env().RETRY_MAX_ATTEMPTS;
  if (err.retryable && !hadHandle && attempt + 1 < max) {
    // Exponential backoff with full jitter, never sooner than the vendor's Retry-After.
    const backoff = Math.random() * Math.min(30_000, 1000 * 2 ** (attempt + 1));
    const delay = Math.max(err.retryAfterMs ?? 0, backoff);
    await db().variation.updateMany({
      where: mine,
      data: {
        status: 'queued',
        attempt: attempt + 1,
        notBefore: new Date(Date.now() + delay),
        errorCode: err.code,
        errorMessage: `${redact(err.message)} (retrying, attempt ${attempt + 2} of ${max})`,
        leaseOwner: null,
        leaseUntil: null,
      },
    });
    return;
  }
  await db().variation.updateMany({
    where: mine,
    data: {
      status: 'failed',
      errorCode: err.code,
      errorMessage: contentPolicyDetail(err) + redact(err.message),
      finishedAt: new Date(),
      leaseOwner: null,
      leaseUntil: null,
    },
  });
}

function contentPolicyDetail(err: ProviderError): string {
  if (err.code !== 'content_policy') return '';
  if (err.blocked === 'input') return 'The prompt or references were blocked. ';
  if (err.blocked === 'output') return 'The generated image was blocked. ';
  return '';
}
