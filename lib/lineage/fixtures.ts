import type { LineageDto, LineageRun, ProvenanceStep } from '@/lib/schemas/lineage';
import type { AssetDto } from '@/lib/schemas/run';

/** Small builders for lineage tests: a run `rN` with variations `rN-v0…` and references by position. */
function asset(tag: string): AssetDto {
  return { id: `a-${tag}`, sha256: tag.padEnd(64, '0'), mime: 'image/png', width: 64, height: 64 };
}

type RunSpec = {
  number: number;
  id?: string;
  parentVariationId?: string | null;
  sourceRunId?: string | null;
  sourceKind?: 'rerun' | 'tweak' | null;
  /** One entry per reference: the variation that produced it, or null for an upload. */
  refs?: (string | null)[];
  variations?: number;
  failed?: number[];
  targetLabel?: string;
};

export function run(spec: RunSpec): LineageRun {
  const id = spec.id ?? `r${spec.number}`;
  const count = spec.variations ?? 2;
  return {
    id,
    number: spec.number,
    instruction: `instruction ${spec.number}`,
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, spec.number)).toISOString(),
    parentVariationId: spec.parentVariationId ?? null,
    sourceRunId: spec.sourceRunId ?? null,
    sourceKind: spec.sourceKind ?? null,
    references: (spec.refs ?? [null]).map((producedBy, position) => ({
      position,
      asset: asset(`${id}ref${position}`),
      producedByVariationId: producedBy,
    })),
    variations: Array.from({ length: count }, (_, index) => {
      const failed = spec.failed?.includes(index) ?? false;
      return {
        id: `${id}-v${index}`,
        index,
        seed: 100 + index,
        status: failed ? ('failed' as const) : ('succeeded' as const),
        targetId: 'offline:engine',
        targetLabel: spec.targetLabel ?? 'Offline engine',
        output: failed ? null : asset(`${id}out${index}`),
        starred: false,
        rating: null,
      };
    }),
  };
}

export function lineage(...runs: LineageRun[]): LineageDto {
  return { sessionId: 's1', runs };
}

/** The provenance step for one variation of a fixture run, as the server's getProvenance builds it. */
export function step(r: LineageRun, variationId: string): ProvenanceStep {
  const v = r.variations.find((x) => x.id === variationId);
  if (!v) throw new Error(`no variation ${variationId} in run ${r.number}`);
  return {
    variationId: v.id,
    runId: r.id,
    runNumber: r.number,
    instruction: r.instruction,
    targetLabel: v.targetLabel,
    seed: v.seed,
    output: v.output,
    references: r.references,
  };
}
