/**
 * Client-safe contracts of the cost ledger: price units, price edits, budgets and the estimate
 * shown beside Generate. The server's services (lib/server/ledger/*) parse with these.
 */
import { z } from 'zod';
import { MAX_VARIATIONS } from './limits';

export const PRICE_UNITS = ['image', 'megapixel', 'second'] as const;
export type PriceUnit = (typeof PRICE_UNITS)[number];

/** A price of $1,000 per unit is far beyond any image API; larger is a typo. */
const usd = z.number().finite().min(0, 'A price cannot be negative.').max(1000, 'That is more than $1,000 per unit.');

export const setPriceSchema = z.object({
  targetId: z.string().min(1).max(200),
  unit: z.enum(PRICE_UNITS),
  amountUsd: usd,
});
export type SetPriceInput = z.output<typeof setPriceSchema>;

export const priceHistorySchema = z.object({ targetId: z.string().min(1).max(200) });

/** null clears a limit; limits are whole cents at most a million dollars. */
const limit = z.number().finite().positive('A budget must be more than $0.').max(1_000_000).nullable();
export const setBudgetSchema = z.object({ monthlyUsd: limit, sessionCapUsd: limit });
export type SetBudgetInput = z.output<typeof setBudgetSchema>;

export const estimateInputSchema = z.object({
  targets: z.array(z.string().min(1).max(200)).min(1).max(16),
  count: z.number().int().min(1).max(16),
  size: z.string().max(20).optional(),
  /** For size 'auto': the first reference's size decides a per-megapixel price. */
  referenceIds: z.array(z.string().min(1).max(64)).max(4).optional(),
  /** For the per-session cap. */
  sessionId: z.string().min(1).max(64).optional(),
});
export type EstimateInput = z.output<typeof estimateInputSchema>;

/** One price row as shown in the history (the catalog's list price is the oldest, at the epoch). */
export type PriceRow = {
  id: string | null;
  targetId: string;
  unit: PriceUnit;
  amountUsd: number;
  source: string;
  effectiveAt: string;
  fromCatalog: boolean;
};

export type TargetEstimate = {
  targetId: string;
  unitUsd: number | null;
  unit: PriceUnit;
  count: number;
  subtotalUsd: number | null;
  priceSource: string | null;
};

export type RunEstimate = {
  totalUsd: number | null;
  perTarget: TargetEstimate[];
  unknownTargets: string[];
};

export type BudgetState = {
  monthlyUsd: number | null;
  sessionCapUsd: number | null;
  /** Spent this calendar month (UTC) plus the estimates of queued and running work. */
  monthCommittedUsd: number;
};

/** What the composer shows: the estimate, any budget warning, and the refusal Generate would meet. */
export type EstimateView = RunEstimate & { warnings: string[]; refusal: string | null };

/** "$0.16", "$0.0125", "$12.50": cents, with more digits only where a small price needs them. */
export function formatUsd(n: number): string {
  const abs = Math.abs(n);
  const decimals = abs === 0 || abs >= 1 ? 2 : abs >= 0.01 ? 4 : 5;
  return `$${n.toFixed(decimals).replace(/(\.\d{2}\d*?)0+$/, '$1')}`;
}

/** GET /api/v1/estimate: targets comma-separated, as a query string carries them. */
export const apiEstimateQuerySchema = z.object({
  targets: z
    .string()
    .min(1)
    .max(2000)
    .describe('Catalog target ids, comma-separated.')
    .transform((s) =>
      s
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  count: z.coerce.number().int().min(1).max(MAX_VARIATIONS).default(1).describe('Outputs per target.'),
  size: z.string().max(20).optional().describe('"1024x1024" or "auto" (a per-megapixel price needs it).'),
  referenceId: z.string().min(1).max(64).optional().describe('For size "auto": the reference whose size the output follows.'),
  sessionId: z.string().min(1).max(64).optional().describe('Checks the per-session cap too.'),
});

export const apiEstimateSchema = z.object({
  totalUsd: z.number().nullable().describe('Sum of the known subtotals; null when no target has a known price.'),
  perTarget: z.array(
    z.object({
      targetId: z.string(),
      unitUsd: z.number().nullable(),
      unit: z.enum(PRICE_UNITS),
      count: z.number().int(),
      subtotalUsd: z.number().nullable(),
      priceSource: z.string().nullable(),
    }),
  ),
  unknownTargets: z.array(z.string()),
  warnings: z.array(z.string()).describe('Budget warnings (80 % of a limit, unknown prices).'),
  refusal: z.string().nullable().describe('The budget_exceeded message a run with these settings would get now.'),
});

/** Says where a variation's recorded cost comes from (Variation.costSource). */
export function costSourceLabel(source: string | null): string {
  if (source === 'provider') return 'reported by the provider';
  if (source === 'none') return 'not billed: the provider does not charge for this failure';
  return 'estimate at the price in effect when the run was created';
}
