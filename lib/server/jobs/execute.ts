import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { findTarget, parseSize, PROVIDERS, type CatalogTarget } from '@/lib/providers/catalog';
import type { ProviderId } from '@/lib/providers/target-kit';
import { runParamsSchema } from '@/lib/schemas/run';
import { db } from '../db/client';
import { settleFailureCost, successCost } from '../ledger/cost';
import { notifyVariationChanged } from '../events/notify';
import type { Prisma } from '../generated/prisma/client';
import { ProviderError } from '../providers/errors';
import { getAdapter } from '../providers/registry';
import type { EditRequest, ProviderAdapter } from '../providers/types';
import { publicUrlFor } from '../public-url';
import { BlobMissingError, blobKey, requireBlob } from '../storage';
import { webhookUrlFor } from '../webhooks/callback-url';
import { adaptInputs } from './adapt-inputs';
import { faultPoint } from './faults';
import { recordFailure, type Stage } from './failure';
import { adaptedInputsFor, type AdaptedInputs } from './input-cache';
import { pollUntilDone } from './poll';
import { fetchKept, keepResult, readKeptResult, storeOutputBytes, type KeptResult } from './store-output';

/** The claim this execution runs under: its token fences every write. */
export type Claim = {
  token: string;
  /** Aborted on every stop (cancel, delete, lease lost, watchdog, end of drain). */
  soft: AbortSignal;
  /** Aborted only by the watchdog or the end of the drain: the one a submit in flight honours. */
  hard: AbortSignal;
};

type Row = Prisma.VariationGetPayload<{ include: { run: { include: { references: { include: { asset: true } } } } } }>;

const RELEASED = { leaseOwner: null, leaseToken: null, leaseUntil: null } as const;

/**
 * Runs one claimed variation to the end: adapt inputs (once per run and target), record "submit
 * started", submit, keep the vendor's job id or finished result, poll, download, store. Once
 * submit() has been called the job is never submitted again by us: every later step can be
 * repeated (poll again, download again) from what was stored before it.
 */
export async function executeVariation(variationId: string, claim: Claim): Promise<void> {
  const v = await db().variation.findUnique({
    where: { id: variationId },
    include: { run: { include: { references: { include: { asset: true }, orderBy: { position: 'asc' } } } } },
  });
  if (!v || v.leaseToken !== claim.token) return;
  const mine = { id: v.id, leaseToken: claim.token };
  const target = findTarget(v.targetId);
  const adapter = target ? getAdapter(target.provider) : undefined;
  const vendor = PROVIDERS[v.provider as ProviderId]?.label ?? v.provider;
  const state: { stage: Stage; handle: string | null; jobId: string | null } = {
    stage: v.submittedAt ? 'accepted' : 'before-submit',
    handle: v.jobHandle,
    jobId: v.jobId,
  };
  try {
    if (!target || !adapter) throw new ProviderError({ code: 'bad_input', message: `Unknown target ${v.targetId}.` });
    if (!adapter.configured()) {
      const info = PROVIDERS[target.provider];
      throw new ProviderError({ code: 'auth', message: `${info.label} is not configured: add ${info.envKey} to .env.` });
    }
    let kept = readKeptResult(v.result);
    let inline: Buffer | undefined;
    let firstWaitMs: number | undefined;

    if (!kept && !state.handle) {
      if (v.submittedAt && !adapter.resumable) {
        throw new ProviderError({
          code: 'interrupted',
          message: `Submitted to ${vendor} earlier without a stored job id; not submitted again.`,
        });
      }
      const inputs = await adaptedInputsFor(v.runId, v.targetId, () => adaptFor(v, target));
      if (inputs.adaptations.length > 0) await write(mine, { adaptations: JSON.stringify(inputs.adaptations) });
      const request = editRequest(v, target, inputs);
      // Stopped while preparing (a stop, drain, cancel or watchdog): never start a paid submit
      // now, with a signal already aborted. The claim lapses and the row, never submitted, is
      // safe for whoever claims it next.
      if (claim.soft.aborted) return;
      // Durable before the call, and the last check of the claim, the status and deletion.
      if (!(await markSubmitStarted(v.id, claim.token, adapter.resumable === true))) return;
      state.stage = 'submitting';
      const submitted = await adapter.submit(request, { signal: claim.hard, publicUrlFor });
      state.stage = 'accepted';
      await faultPoint('after-accept', v.id);
      if (submitted.kind === 'done') {
        kept = await keepResult(submitted);
        inline = submitted.images[0]?.bytes;
        const done = { status: 'running', result: JSON.stringify(kept), vendorRequestId: submitted.vendorRequestId ?? null };
        if (!(await persist(mine, done))) return;
      } else {
        state.handle = submitted.handle;
        state.jobId = submitted.jobId;
        firstWaitMs = submitted.pollAfterMs;
        // The vendor's job id is also its request id for appeals and support (vendorRequestId).
        const accepted = { status: 'running', jobId: submitted.jobId, jobHandle: submitted.handle, vendorRequestId: submitted.jobId };
        const stored = await persist(mine, accepted).catch((e) => {
          // Keep going with the id in memory: the result can still be stored when the database answers again.
          console.error('[worker] could not store the job id:', e instanceof Error ? e.message : e);
          return true;
        });
        if (!stored) {
          // Cancelled or deleted while the vendor was answering: stop the job we just started.
          await adapter.cancel?.(submitted.handle, { signal: AbortSignal.timeout(15_000) }).catch(() => {});
          return;
        }
        await faultPoint('after-handle', v.id);
      }
    }
    if (claim.soft.aborted) return;

    if (!kept) {
      const since = (v.submittedAt ?? new Date()).getTime();
      const finished = await pollUntilDone({
        adapter,
        handle: state.handle!,
        vendor,
        jobId: state.jobId,
        deadline: since + adapter.deadlineMs,
        ctx: { signal: claim.soft, publicUrlFor },
        firstWaitMs,
        variationId: v.id,
      });
      kept = await keepResult(finished);
      inline = finished.images[0]?.bytes;
      if (!(await persist(mine, { status: 'running', result: JSON.stringify(kept) }))) return;
    }
    const output = inline ? { bytes: inline, downloaded: false } : await fetchKept(kept, claim.soft);
    if (output.downloaded && 'sha' in output) {
      if (!(await persist(mine, { result: JSON.stringify({ ...kept, image: { sha: output.sha } } satisfies KeptResult) }))) return;
    }
    await faultPoint('after-download', v.id);
    const asset = await storeOutputBytes(output.bytes);
    // The vendor's own figure (or billed units) when it reports one, else the estimate stored at run creation.
    const cost = await successCost(v, kept.usage);
    await persist(mine, {
      status: 'succeeded',
      outputAssetId: asset.id,
      finishedAt: new Date(),
      ...cost,
      result: null,
      errorCode: null,
      errorMessage: null,
      ...RELEASED,
    });
  } catch (e) {
    if (claim.soft.aborted) return; // released, or stopped by the watchdog / drain, which write their own outcome
    const error =
      e instanceof BlobMissingError
        ? new ProviderError({ code: 'bad_input', message: 'A reference image is missing from storage; upload it again.' })
        : e;
    await recordFailure({
      row: v,
      token: claim.token,
      stage: state.stage,
      resumable: adapter?.resumable === true,
      vendor,
      jobId: state.jobId,
      error,
    }).catch((err) => console.error('[worker] could not record a failure:', err instanceof Error ? err.message : err));
    // A final failure's cost: $0 where the vendor did not bill it (lib/server/ledger/cost.ts).
    await settleFailureCost(v.id, state.stage).catch((err) =>
      console.error('[worker] could not record a failure cost:', err instanceof Error ? err.message : err),
    );
    void notifyVariationChanged(v.id);
  }
}

async function adaptFor(v: Row, target: CatalogTarget): Promise<AdaptedInputs> {
  const sources = await Promise.all(v.run.references.map(async (r) => ({ ...r.asset, bytes: await requireBlob(blobKey(r.asset.sha256)) })));
  return adaptInputs(sources, target.capabilities, { keepWebp: target.provider === 'offline' });
}

function editRequest(v: Row, target: CatalogTarget, inputs: AdaptedInputs): EditRequest {
  const params = runParamsSchema.parse(JSON.parse(v.run.params));
  const caps = target.capabilities;
  return {
    model: target.model,
    prompt: v.run.instruction,
    negativePrompt: caps.negativePrompt && v.run.negativePrompt ? v.run.negativePrompt : undefined,
    images: inputs.images,
    seed: v.seed,
    size: parseSize(params.size),
    outputFormat: params.format,
    strength: caps.strength ? params.strength : undefined,
    guidance: caps.guidance ? params.guidance : undefined,
    safety: caps.safety ? params.safety?.[target.id] : undefined,
    // Stable across automatic retries; a user retry bumps the generation (a new job on purpose).
    idempotencyKey: `${v.id}-${v.generation}`,
    webhookUrl: webhookUrlFor(target.provider, v.id),
  };
}

/**
 * "submit() is being called", stored before the call. Matches only while this claim still
 * holds a row that is submitting, not deleted (nor its run or session), and was never submitted
 * before (the offline engine excepted: re-running it is free).
 */
async function markSubmitStarted(id: string, token: string, resumable: boolean): Promise<boolean> {
  const count = await db().$executeRaw`
    UPDATE "Variation" SET "submittedAt" = ${new Date()}
    WHERE "id" = ${id} AND "leaseToken" = ${token} AND "status" = 'submitting' AND "deletedAt" IS NULL
      AND ("submittedAt" IS NULL OR ${resumable ? 1 : 0} = 1)
      AND EXISTS (
        SELECT 1 FROM "Run" r JOIN "Session" s ON s."id" = r."sessionId"
        WHERE r."id" = "Variation"."runId" AND r."deletedAt" IS NULL AND s."deletedAt" IS NULL)`;
  return count === 1;
}

async function write(mine: { id: string; leaseToken: string }, data: Prisma.VariationUncheckedUpdateManyInput): Promise<boolean> {
  const { count } = await db().variation.updateMany({ where: mine, data });
  if (count === 1) void notifyVariationChanged(mine.id);
  return count === 1;
}

/**
 * A write that records paid work (a job id, a result): retried through a busy or briefly
 * unavailable database rather than given up. False only when the claim is gone.
 */
async function persist(mine: { id: string; leaseToken: string }, data: Prisma.VariationUncheckedUpdateManyInput): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write(mine, data);
    } catch (e) {
      if (attempt >= 4) throw e;
      await sleep(500 * 2 ** attempt);
    }
  }
}

/** The watchdog's outcome: the vendor is asked to stop, the row fails as a timeout. */
export async function failStuck(id: string, token: string, limitMs: number): Promise<void> {
  const row = await db().variation.findUnique({
    where: { id },
    select: { leaseToken: true, provider: true, jobId: true, jobHandle: true, submittedAt: true },
  });
  if (!row || row.leaseToken !== token) return;
  const adapter: ProviderAdapter | undefined = getAdapter(row.provider as ProviderId);
  if (row.jobHandle) await adapter?.cancel?.(row.jobHandle, { signal: AbortSignal.timeout(15_000) }).catch(() => {});
  const job = row.jobId ? ` (job ${row.jobId})` : '';
  await write(
    { id, leaseToken: token },
    {
      status: 'failed',
      errorCode: 'timeout',
      errorMessage: `Stopped after ${Math.round(limitMs / 1000)} s without finishing${job}; the job was cancelled where the provider allows it.`,
      finishedAt: new Date(),
      ...RELEASED,
    },
  );
  await settleFailureCost(id, row.submittedAt ? 'accepted' : 'before-submit').catch(() => {});
}
