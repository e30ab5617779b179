'use client';

import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { previewEstimateAction } from '@/lib/server/actions/ledger';
import { type EstimateInput, type EstimateView, formatUsd } from '@/lib/schemas/ledger';

/** Local key: the estimate depends only on its input and the prices, refetched when either may change. */
const estimateKey = (input: EstimateInput) => ['ledger', 'estimate', input] as const;

/**
 * The estimate for the composer's current form, with the budget warnings it would raise.
 * `busy` is the composer's submit in flight: when it ends, spend has changed, so refetch.
 */
export function useRunEstimate(input: EstimateInput, busy = false): EstimateView | undefined {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!busy) void queryClient.invalidateQueries({ queryKey: ['ledger', 'estimate'] });
  }, [busy, queryClient]);
  const { data } = useQuery({
    queryKey: estimateKey(input),
    queryFn: async () => {
      const r = await previewEstimateAction(input);
      if (!r.ok) throw new Error(r.error.message);
      return r.data;
    },
    enabled: input.targets.length > 0,
    placeholderData: keepPreviousData,
    // Spend changes as runs finish: a fresh figure each time the form is looked at again.
    staleTime: 5_000,
    retry: false,
  });
  return input.targets.length > 0 ? data : undefined;
}

/** "≈ $0.16 estimated", "unknown" where no price is known; the sources in the tooltip. */
export function EstimateSummary({ estimate }: { estimate: EstimateView | undefined }) {
  if (!estimate) return null;
  const unknown = estimate.unknownTargets.length;
  const sources = estimate.perTarget
    .map((t) => `${t.targetId}: ${t.subtotalUsd === null ? 'unknown' : `${t.count} × ${formatUsd(t.unitUsd!)} per ${t.unit}`}`)
    .join('\n');
  return (
    <output aria-label="Cost estimate" title={sources} className={estimate.refusal ? 'text-danger' : undefined}>
      {estimate.totalUsd === null ? 'cost unknown' : `≈ ${formatUsd(estimate.totalUsd)} estimated`}
      {estimate.totalUsd !== null && unknown > 0 && ` + ${unknown} unknown`}
    </output>
  );
}

/** Budget warnings (80 % of a limit, unknown prices) and the refusal Generate would meet. */
export function EstimateWarnings({ estimate }: { estimate: EstimateView | undefined }) {
  if (!estimate || (estimate.warnings.length === 0 && !estimate.refusal)) return null;
  return (
    <ul aria-label="Budget" className="space-y-1 text-xs">
      {estimate.refusal && (
        <li className="rounded-md border border-danger/40 bg-danger/10 px-2.5 py-1.5 text-danger">Over budget: {estimate.refusal}</li>
      )}
      {estimate.warnings.map((w) => (
        <li key={w} className="rounded-md border border-amber-500/50 bg-amber-500/10 px-2.5 py-1.5 text-ink">
          {w}
        </li>
      ))}
    </ul>
  );
}
