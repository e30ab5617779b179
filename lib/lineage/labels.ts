import type { LineageRun } from '@/lib/schemas/lineage';
import type { LineageEdge } from './tree';

type Variation = LineageRun['variations'][number];

/**
 * Accessible names for the lineage UI, kept here so tests and pages agree on them.
 * K is the variation's per-target index + 1 (as the studio shows it). A run sent to several targets
 * has one "Variation 1" per target, so there the target label is appended to keep names unique.
 */
export function variationName(runNumber: number, v: Pick<Variation, 'index' | 'targetLabel'>, multiTarget: boolean): string {
  const base = `Variation ${v.index + 1} of run ${runNumber}`;
  return multiTarget ? `${base}, ${v.targetLabel}` : base;
}

/** Image alt text: always names the target and seed. */
export function variationAlt(runNumber: number, v: Pick<Variation, 'index' | 'targetLabel' | 'seed'>): string {
  return `Variation ${v.index + 1} of run ${runNumber}, ${v.targetLabel}, seed ${v.seed}`;
}

export function referenceAlt(runNumber: number, position: number): string {
  return `Run ${runNumber} reference ${position + 1}`;
}

export function isMultiTarget(run: Pick<LineageRun, 'variations'>): boolean {
  const first = run.variations[0]?.targetId;
  return run.variations.some((v) => v.targetId !== first);
}

/** The small label on the connector between a run and its parent. */
export function edgeLabel(edge: Pick<LineageEdge, 'kind'>, from: Pick<Variation, 'index'> | undefined): string {
  switch (edge.kind) {
    case 'fork':
      return from ? `forked from variation ${from.index + 1}` : 'forked from a variation';
    case 'reference':
      return 'uses output as reference';
    case 'rerun':
      return 're-run';
    case 'tweak':
      return 'tweak';
  }
}
