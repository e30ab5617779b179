import 'server-only';
import type { EstimateView } from '@/lib/schemas/ledger';
import type { Ctx } from '../context';
import { isAppError } from '../errors';
import { checkBudget } from './budget';
import { estimateRun } from './estimate';

/**
 * submitRun's cost step: the run's estimate at the prices in effect now, checked against the
 * budgets before anything is written or sent (throws `budget_exceeded`). Returns the estimate
 * with its warnings, and each target's per-output estimate, stored on its variations.
 */
export async function gateRun(
  ctx: Ctx,
  input: { targets: string[]; count: number; size?: string; referenceIds?: string[]; sessionId?: string },
): Promise<{ estimate: EstimateView; unitUsd: (targetId: string) => number | null }> {
  const estimate = await estimateRun(ctx, input);
  const { warnings } = await checkBudget(ctx, { estimate, sessionId: input.sessionId });
  const units = new Map(estimate.perTarget.map((t) => [t.targetId, t.unitUsd]));
  return { estimate: { ...estimate, warnings, refusal: null }, unitUsd: (id) => units.get(id) ?? null };
}

/** The estimate shown beside Generate: the same figures and warnings, nothing refused. */
export async function previewRun(
  ctx: Ctx,
  input: { targets: string[]; count: number; size?: string; referenceIds?: string[]; sessionId?: string },
): Promise<EstimateView> {
  const estimate = await estimateRun(ctx, input);
  try {
    const { warnings } = await checkBudget(ctx, { estimate, sessionId: input.sessionId });
    return { ...estimate, warnings, refusal: null };
  } catch (e) {
    // Over a limit: shown as a warning here; Generate is refused with the same words.
    if (isAppError(e) && e.code === 'budget_exceeded') return { ...estimate, warnings: [], refusal: e.message };
    throw e;
  }
}
