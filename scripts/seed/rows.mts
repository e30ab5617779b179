/**
 * Row shapes of the large data set, column for column as prisma/schema.prisma declares them,
 * in the storage format the Prisma better-sqlite3 adapter uses: DateTime as ISO 8601 text
 * with `+00:00` (what a row written through `db()` reads back as, raw), Boolean as 0/1.
 */
export type SessionRow = {
  id: string;
  title: string;
  notes: string;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
  deletedAt: string | null;
};

export type RunRow = {
  id: string;
  sessionId: string;
  /** 1, 2, 3... within the session in creation order, deleted runs included (never renumbered). */
  number: number;
  instruction: string;
  negativePrompt: string;
  params: string;
  targets: string;
  parentVariationId: string | null;
  sourceRunId: string | null;
  sourceKind: 'rerun' | 'tweak' | null;
  createdAt: string;
  deletedAt: string | null;
  starred: 0 | 1;
  rating: number | null;
  note: string;
};

type RunReferenceRow = { runId: string; position: number; assetId: string; role: string };

export type VariationRow = {
  id: string;
  runId: string;
  targetId: string;
  provider: string;
  model: string;
  index: number;
  seed: number;
  status: 'succeeded' | 'failed' | 'cancelled';
  jobId: string | null;
  attempt: number;
  queuedAt: string;
  startedAt: string | null;
  submittedAt: string | null;
  finishedAt: string | null;
  costUsd: number | null;
  costSource: 'estimate' | 'provider' | null;
  errorCode: string | null;
  errorMessage: string | null;
  adaptations: string;
  outputAssetId: string | null;
  starred: 0 | 1;
  rating: number | null;
  note: string;
  deletedAt: string | null;
};

type TrayItemRow = { id: string; assetId: string; variationId: string; addedAt: string };

export type SeedRows = {
  sessions: SessionRow[];
  runs: RunRow[];
  references: RunReferenceRow[];
  variations: VariationRow[];
  tray: TrayItemRow[];
  largeSessionId: string;
};

/** The adapter's DateTime text: `2026-11-26T14:09:39.236+00:00`. */
export function sqlDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}
