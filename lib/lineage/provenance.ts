import type { LineageDto, ProvenanceStep } from '@/lib/schemas/lineage';
import { indexVariations, pathToOriginals, resolveParents } from './tree';

/**
 * The provenance of one image, built from a session's lineage, originals first. Each step is a run
 * and the variation of it that fed the next step (the last step: the image itself). A run reached by
 * a re-run or tweak contributed no image of its own (the repeat copies its references), so it is
 * left out and the path jumps straight from what fed it to the repeat.
 */
export function provenanceFromLineage(dto: LineageDto, variationId: string): ProvenanceStep[] {
  const path = pathToOriginals(dto, variationId);
  if (path.length === 0) return [];
  const owners = indexVariations(dto);
  const parents = resolveParents(dto);
  const runs = new Map(dto.runs.map((r) => [r.id, r]));

  const steps: ProvenanceStep[] = [];
  path.forEach((runId, i) => {
    const next = path[i + 1];
    const stepVariationId = next === undefined ? variationId : parents.get(next)?.fromVariationId;
    const run = runs.get(runId);
    const owner = stepVariationId ? owners.get(stepVariationId) : undefined;
    if (!run || !owner) return;
    steps.push({
      variationId: owner.variation.id,
      runId: run.id,
      runNumber: run.number,
      instruction: run.instruction,
      targetLabel: owner.variation.targetLabel,
      seed: owner.variation.seed,
      output: owner.variation.output,
      references: [...run.references].sort((a, b) => a.position - b.position),
    });
  });
  return steps;
}

/**
 * Provenance steps may arrive image-first ("from an image back to the originals") or originals-first.
 * The breadcrumb reads originals → image, so flip when a step is fed by the step after it.
 */
export function orderOriginalsFirst(steps: ProvenanceStep[]): ProvenanceStep[] {
  const imageFirst = steps.some((step, i) => {
    const next = steps[i + 1];
    return next !== undefined && step.references.some((r) => r.producedByVariationId === next.variationId);
  });
  return imageFirst ? [...steps].reverse() : steps;
}
