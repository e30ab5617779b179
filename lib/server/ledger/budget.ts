import 'server-only';
import { type BudgetState, formatUsd, type RunEstimate, type SetBudgetInput } from '@/lib/schemas/ledger';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { AppError } from '../errors';
import { inWorkspace } from '../services/scope';

/**
 * Budgets: a monthly limit per workspace and an optional cap per session. What counts against
 * a limit is what was spent (each finished variation's costUsd: the vendor's figure or the
 * estimate; deleted work included, since it was paid for) plus what is committed (the stored
 * estimates of variations still queued or running, and what a pending retry's earlier attempts
 * were billed) plus the new run's estimate.
 *
 * Decisions: the month is the calendar month in UTC, by finishedAt. Reaching a limit exactly
 * is allowed; only crossing it is refused. Targets without a known price count as $0 and the
 * run is allowed with a warning (refusing them would block ComfyUI-like targets whose cost is
 * unknowable; ignoring them silently would hide spend). Callers that write (submitRun,
 * retryVariation) check and write under withBudgetLock (budget-lock.ts), so two runs submitted
 * in the same instant cannot both pass on the same sum.
 */

/** At this share of a limit the estimate and the run-create result carry a warning. */
export const WARN_RATIO = 0.8;
/** Money compared to a millionth of a dollar: float sums must not turn "equal" into "over". */
const EPSILON = 1e-6;

const PENDING = ['queued', 'submitting', 'running'];

export function monthStartUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export async function getBudget(ctx: Ctx): Promise<{ monthlyUsd: number | null; sessionCapUsd: number | null }> {
  const row = await db().budget.findUnique({ where: { workspaceId: ctx.workspaceId } });
  return { monthlyUsd: row?.monthlyUsd ?? null, sessionCapUsd: row?.sessionCapUsd ?? null };
}

export async function setBudget(ctx: Ctx, input: SetBudgetInput): Promise<BudgetState> {
  if (ctx.actor.kind !== 'owner') throw new AppError('forbidden', 'Only the owner can change budgets.');
  await db().budget.upsert({
    where: { workspaceId: ctx.workspaceId },
    create: { workspaceId: ctx.workspaceId, monthlyUsd: input.monthlyUsd, sessionCapUsd: input.sessionCapUsd },
    update: { monthlyUsd: input.monthlyUsd, sessionCapUsd: input.sessionCapUsd },
  });
  return budgetState(ctx);
}

/** Spent (finished since `since`, or ever) plus committed (pending estimates), within a workspace or one session. */
async function committedUsd(ctx: Ctx, opts: { since?: Date; sessionId?: string }): Promise<number> {
  const scope = opts.sessionId
    ? { run: { sessionId: opts.sessionId, session: { workspaceId: ctx.workspaceId } } }
    : inWorkspace.variation(ctx);
  const finished = { ...scope, status: { notIn: PENDING }, ...(opts.since ? { finishedAt: { gte: opts.since } } : {}) };
  const [spent, uncosted, pending] = await Promise.all([
    db().variation.aggregate({ _sum: { costUsd: true }, where: finished }),
    // A retried variation carries what its earlier attempts were billed (priorCostUsd): counted
    // while it is pending, and if it ends with no cost of its own (cancelled).
    db().variation.aggregate({ _sum: { priorCostUsd: true }, where: { ...finished, costUsd: null } }),
    db().variation.aggregate({ _sum: { costEstimateUsd: true, priorCostUsd: true }, where: { ...scope, status: { in: PENDING } } }),
  ]);
  return (
    (spent._sum.costUsd ?? 0) + (uncosted._sum.priorCostUsd ?? 0) + (pending._sum.costEstimateUsd ?? 0) + (pending._sum.priorCostUsd ?? 0)
  );
}

export async function budgetState(ctx: Ctx, now: Date = new Date()): Promise<BudgetState> {
  const budget = await getBudget(ctx);
  return { ...budget, monthCommittedUsd: round(await committedUsd(ctx, { since: monthStartUtc(now) })) };
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

type Limit = { label: string; limitUsd: number; committedUsd: number };

/** Pure: refusal message, or warnings, for a run of `estimateUsd` against each limit. */
export function judge(limits: Limit[], estimateUsd: number): { refusal: string | null; warnings: string[] } {
  const warnings: string[] = [];
  for (const l of limits) {
    const after = l.committedUsd + estimateUsd;
    if (after > l.limitUsd + EPSILON) {
      return {
        refusal: `This run is estimated at ${formatUsd(estimateUsd)}; ${formatUsd(l.committedUsd)} of the ${formatUsd(l.limitUsd)} ${l.label} is spent or committed.`,
        warnings,
      };
    }
    if (after >= l.limitUsd * WARN_RATIO - EPSILON) {
      const pct = Math.round((after / l.limitUsd) * 100);
      warnings.push(`With this run ${formatUsd(after)} of the ${formatUsd(l.limitUsd)} ${l.label} (${pct} %) is spent or committed.`);
    }
  }
  return { refusal: null, warnings };
}

/**
 * Checks a run's estimate against the workspace's limits. Throws `budget_exceeded` (nothing
 * is written or sent) when it would cross one; else returns the warnings to show.
 */
export async function checkBudget(
  ctx: Ctx,
  input: { estimate: RunEstimate; sessionId?: string; now?: Date },
): Promise<{ warnings: string[] }> {
  const estimateUsd = input.estimate.totalUsd ?? 0;
  const unknown = input.estimate.unknownTargets;
  const warnings: string[] = [];
  const budget = await getBudget(ctx);
  const limits: Limit[] = [];
  if (budget.monthlyUsd !== null) {
    limits.push({
      label: 'monthly budget',
      limitUsd: budget.monthlyUsd,
      committedUsd: await committedUsd(ctx, { since: monthStartUtc(input.now ?? new Date()) }),
    });
  }
  if (budget.sessionCapUsd !== null && input.sessionId) {
    limits.push({
      label: 'cap for this session',
      limitUsd: budget.sessionCapUsd,
      committedUsd: await committedUsd(ctx, { sessionId: input.sessionId }),
    });
  }
  const verdict = judge(limits, estimateUsd);
  if (verdict.refusal) throw new AppError('budget_exceeded', verdict.refusal);
  warnings.push(...verdict.warnings);
  if (unknown.length > 0 && limits.length > 0) {
    warnings.push(
      `No price is known for ${unknown.length === 1 ? 'one target' : `${unknown.length} targets`} (${unknown.join(', ')}); ${unknown.length === 1 ? 'it is' : 'they are'} counted as $0 against the budget.`,
    );
  }
  return { warnings };
}
