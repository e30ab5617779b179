import type { VariationReview } from './gallery';
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
  references: {
    position: number;
    asset: AssetDto;
    producedByVariationId: string | null;
    /** Which variation of which run made it, when that run is in this session (a page may not hold it). */
    producer?: { runNumber: number; index: number } | null;
  }[];
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
    review?: VariationReview;
  }[];
};

export type LineageDto = { sessionId: string; runs: LineageRun[] };

/** How a run came from its parent run (see lib/lineage/tree.ts). */
export type LineageEdgeDto = {
  kind: 'fork' | 'reference' | 'rerun' | 'tweak';
  parentRunId: string;
  /** The parent's variation the edge leaves from; null for re-runs and tweaks. */
  fromVariationId: string | null;
};

/** A run placed in the session's lineage tree, with the size of what hangs below it. */
export type LineageNodeDto = {
  run: LineageRun;
  /** Null for a root. The parent is always sent before its children (or is the page's `expand`). */
  edge: LineageEdgeDto | null;
  /** Position among its parent's children (or among the roots, newest first). */
  index: number;
  /** Direct children in the whole tree; more than were sent means "show more". */
  childCount: number;
  /** Every run below it in the whole tree. */
  descendants: number;
};

/**
 * One page of a session's lineage (services/lineage.ts getLineagePage): from the `cursor`-th child
 * of `expand` (null: the session's root runs, newest first) on, depth first, each run with a few
 * of its children and the rest left for "show more"; deep branches arrive collapsed.
 */
export type LineagePage = {
  sessionId: string;
  expand: string | null;
  cursor: number;
  /** Children of `expand` (or roots) in all. */
  siblings: number;
  /** Live runs in the session. */
  totalRuns: number;
  nodes: LineageNodeDto[];
};

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
