import type { AssetDto, RunParams, VariationDto, VariationStatus } from './run';

/** One run in a session's lineage: what it started from and what it produced. */
export type LineageRun = {
  id: string;
  number: number;
  instruction: string;
  createdAt: string;
  /** The variation this run was started from ("use as reference" / "fork from here"). */
  parentVariationId: string | null;
  /** Re-run or tweak of an earlier run. */
  sourceRunId: string | null;
  sourceKind: 'rerun' | 'tweak' | null;
  references: { position: number; asset: AssetDto; producedByVariationId: string | null }[];
  variations: {
    id: string;
    index: number;
    seed: number;
    status: VariationStatus;
    targetId: string;
    targetLabel: string;
    output: AssetDto | null;
    starred: boolean;
    rating: number | null;
  }[];
};

export type LineageDto = { sessionId: string; runs: LineageRun[] };

/** One step of an image's provenance: a run and the variation it produced. Lists run originals first. */
export type ProvenanceStep = {
  variationId: string;
  runId: string;
  runNumber: number;
  instruction: string;
  targetLabel: string;
  seed: number;
  output: AssetDto | null;
  references: { position: number; asset: AssetDto; producedByVariationId: string | null }[];
};

/** Everything the provenance page shows about one variation: its run's exact inputs and its path. */
export type ProvenanceDto = {
  variation: VariationDto & { runId: string; attempt: number };
  run: {
    id: string;
    number: number;
    instruction: string;
    negativePrompt: string;
    params: RunParams;
    session: { id: string; title: string };
    references: { position: number; asset: AssetDto }[];
  };
  path: ProvenanceStep[];
};
