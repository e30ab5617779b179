import 'server-only';
import type { ProviderErrorCode } from '@/lib/schemas/errors';
import { db } from '../db/client';
import { estimateFrom, roundUsd } from './estimate';
import { pricesAt } from './prices';

/**
 * The cost recorded on a finished variation, and where it comes from:
 * - `provider`: the vendor reported it (usage.costUsd from the adapter's wire parser), or the
 *   quantity it billed (fal's billable units, Replicate's compute seconds for a per-second
 *   price) × the price per unit in effect at creation;
 * - `estimate`: the estimate stored when the run was created, from the price in effect then
 *   (never recomputed from today's price, so a later price edit leaves past costs alone);
 * - `none`: a failure the vendor does not bill, cost $0.
 *
 * Which failures cost nothing (decided here, where the issue was silent):
 * - refused before submit (nothing left the machine): none;
 * - submit rejected (the vendor answered the submit with an error): none, unless the error is
 *   a timeout or an interruption, where the vendor may have accepted (and billed) the job: estimate;
 * - failed after acceptance: estimate, except at vendors documented to bill only successful
 *   tasks (NO_CHARGE_ON_FAILURE): none.
 */
export type CostRecord = { costUsd: number | null; costSource: 'provider' | 'estimate' | 'none' | null };

/**
 * Vendors whose documentation says a failed task is not billed. DashScope: "billed only when the
 * task succeeds" (help.aliyun.com wanx-image-edit, quoted in lib/providers/targets/dashscope.ts).
 * The offline engine and ComfyUI cost nothing either way.
 */
const NO_CHARGE_ON_FAILURE = new Set(['dashscope', 'offline', 'comfyui']);

/**
 * A succeeded variation's cost: the vendor's dollar figure; else the quantity it billed (fal's
 * billable units) × the price per unit in effect when the run was created; else the estimate.
 */
/**
 * What the vendor says it billed, from the adapter's usage details: fal's `x-fal-billable-units`
 * (lib/server/providers/fal/wire.ts), or Replicate's `metrics.predict_time`, the seconds of
 * compute a hardware-priced model bills (replicate.com/docs/billing: "billed for the compute
 * time used"; lib/server/providers/replicate/wire.ts keeps it as predictTimeSec).
 */
function billedQuantity(details: Record<string, number | string> | undefined): { kind: 'units' | 'seconds'; quantity: number } | null {
  const units = details?.billableUnits;
  if (typeof units === 'number' && units > 0) return { kind: 'units', quantity: units };
  const seconds = details?.predictTimeSec;
  if (typeof seconds === 'number' && seconds > 0) return { kind: 'seconds', quantity: seconds };
  return null;
}

export async function successCost(
  v: { targetId: string; costEstimateUsd: number | null; queuedAt: Date; priorCostUsd?: number | null },
  usage: { costUsd?: number; details?: Record<string, number | string> } | undefined,
): Promise<CostRecord> {
  return withPriorAttempts(await attemptCost(v, usage), v.priorCostUsd ?? null);
}

async function attemptCost(
  v: { targetId: string; costEstimateUsd: number | null; queuedAt: Date },
  usage: { costUsd?: number; details?: Record<string, number | string> } | undefined,
): Promise<CostRecord> {
  if (usage?.costUsd !== undefined) return costOnSuccess(usage.costUsd, null);
  const billed = billedQuantity(usage?.details);
  if (billed) {
    const price = (await pricesAt([v.targetId], v.queuedAt)).get(v.targetId);
    // fal's units are in the model's own pricing unit; Replicate's seconds only fit a per-second price.
    const fits = price && (billed.kind === 'units' ? price.unit !== 'second' : price.unit === 'second');
    if (price && fits) return { costUsd: roundUsd(billed.quantity * price.amountUsd), costSource: 'provider' };
  }
  return costOnSuccess(undefined, await storedEstimate(v));
}

/**
 * A retried variation's cost includes what its earlier attempts were billed (carried in
 * priorCostUsd by retryVariation), so money spent never drops out of the ledger or the budget.
 * The source says how the last attempt was priced; an unpriced or unbilled last attempt after
 * a billed one keeps the earlier figure, as an estimate (it is no longer "not billed").
 */
export function withPriorAttempts(record: CostRecord, priorUsd: number | null): CostRecord {
  if (!priorUsd) return record;
  if (record.costUsd === null) return { costUsd: priorUsd, costSource: 'estimate' };
  return { costUsd: roundUsd(record.costUsd + priorUsd), costSource: record.costSource === 'none' ? 'estimate' : record.costSource };
}

export function costOnSuccess(reportedUsd: number | undefined, estimateUsd: number | null): CostRecord {
  if (reportedUsd !== undefined && Number.isFinite(reportedUsd)) return { costUsd: reportedUsd, costSource: 'provider' };
  if (estimateUsd !== null) return { costUsd: estimateUsd, costSource: 'estimate' };
  return { costUsd: null, costSource: null };
}

export type FailureStage = 'before-submit' | 'submitting' | 'accepted';

export function costOnFailure(input: {
  stage: FailureStage;
  code: ProviderErrorCode | string | null;
  provider: string;
  estimateUsd: number | null;
}): CostRecord {
  const none: CostRecord = { costUsd: 0, costSource: 'none' };
  if (input.stage === 'before-submit') return none;
  if (input.stage === 'submitting' && input.code !== 'timeout' && input.code !== 'interrupted') return none;
  if (NO_CHARGE_ON_FAILURE.has(input.provider)) return none;
  return input.estimateUsd === null ? { costUsd: null, costSource: null } : { costUsd: input.estimateUsd, costSource: 'estimate' };
}

/**
 * The estimate a variation carries; for rows created before estimates were stored, the price in
 * effect when it was queued (the same rule, computed late).
 */
export async function storedEstimate(v: { targetId: string; costEstimateUsd: number | null; queuedAt: Date }): Promise<number | null> {
  if (v.costEstimateUsd !== null) return v.costEstimateUsd;
  const prices = await pricesAt([v.targetId], v.queuedAt);
  return estimateFrom(prices, { targets: [v.targetId], count: 1 }, undefined).totalUsd;
}

/**
 * After the worker recorded a failure: writes the cost of a final one (a requeued attempt is not
 * failed, so nothing is written; a second call writes the same figure).
 */
export async function settleFailureCost(variationId: string, stage: FailureStage): Promise<void> {
  const v = await db().variation.findUnique({
    where: { id: variationId },
    select: { status: true, errorCode: true, provider: true, targetId: true, costEstimateUsd: true, queuedAt: true, priorCostUsd: true },
  });
  if (v?.status !== 'failed') return;
  const attempt = costOnFailure({ stage, code: v.errorCode, provider: v.provider, estimateUsd: await storedEstimate(v) });
  // Idempotent: priorCostUsd does not change here, so a second call writes the same figure.
  const cost = withPriorAttempts(attempt, v.priorCostUsd);
  if (cost.costSource === null) return;
  await db().variation.updateMany({ where: { id: variationId, status: 'failed' }, data: cost });
}
