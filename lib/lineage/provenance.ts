import type { ProvenanceStep } from '@/lib/schemas/lineage';

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
