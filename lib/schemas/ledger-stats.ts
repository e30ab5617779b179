import { z } from 'zod';

/** The windows the providers dashboard offers; `all` has no lower bound. */
export const LEDGER_WINDOWS = ['24h', '7d', '30d', 'all'] as const;
export type LedgerWindow = (typeof LEDGER_WINDOWS)[number];

export const WINDOW_MS: Record<LedgerWindow, number | null> = {
  '24h': 24 * 3600_000,
  '7d': 7 * 24 * 3600_000,
  '30d': 30 * 24 * 3600_000,
  all: null,
};

export const WINDOW_LABELS: Record<LedgerWindow, string> = {
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  all: 'All time',
};

/** Probes (burn tests) are in the same ledger; the dashboard can leave them out or show only them. */
export const PROBE_FILTERS = ['include', 'exclude', 'only'] as const;
export type ProbeFilter = (typeof PROBE_FILTERS)[number];

export const ledgerQuerySchema = z.object({
  window: z.enum(LEDGER_WINDOWS).default('7d'),
  probes: z.enum(PROBE_FILTERS).default('include'),
});
export type LedgerQuery = z.output<typeof ledgerQuerySchema>;

/** P50, P95, P99 in milliseconds, nearest-rank; null when nothing finished in the window. */
export type Percentiles = { p50: number | null; p95: number | null; p99: number | null };

export type TargetStats = {
  targetId: string;
  label: string;
  provider: string;
  model: string;
  /** Every variation queued in the window, whatever its state. */
  count: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  /** Still queued or in flight. */
  pending: number;
  /** succeeded / (succeeded + failed); null until one has finished either way. */
  successRate: number | null;
  /** Variations that needed more than one try: an automatic retry (attempt > 0) or a user retry (generation > 0). */
  retried: number;
  failuresByCode: { code: string; count: number }[];
  blocked: { promptBlocked: number; outputBlocked: number };
  /** Sum of known costs; `costUnknown` counts finished variations with no cost recorded. */
  costUsd: number;
  costUnknown: number;
  queueMs: Percentiles;
  providerMs: Percentiles;
  totalMs: Percentiles;
};

export type DailyPoint = { day: string; total: number; succeeded: number; failed: number };

export type LedgerStats = {
  window: LedgerWindow;
  probes: ProbeFilter;
  /** ISO start of the window; null for `all`. */
  since: string | null;
  generatedAt: string;
  targets: TargetStats[];
  daily: DailyPoint[];
};

export const probeInputSchema = z.object({
  targets: z
    .array(z.string().min(1).max(200))
    .min(1, 'Pick at least one target.')
    .max(8, 'At most 8 targets at once.')
    .refine((t) => new Set(t).size === t.length, 'A target is listed twice.'),
  count: z.int().min(1, 'At least 1 edit.').max(20, 'At most 20 edits per target.'),
});
export type ProbeInput = z.output<typeof probeInputSchema>;

/** Running a probe: the estimate the person confirmed (null: no price known for any target). */
export const runProbeSchema = probeInputSchema.extend({ confirmedUsd: z.number().min(0).nullable() });
export type RunProbeInput = z.output<typeof runProbeSchema>;
