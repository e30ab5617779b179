import type { CompareCandidate } from '@/lib/schemas/compare';
import type { RunDto } from '@/lib/schemas/run';

/** Compare candidates from loaded runs: every stored variation, across runs and providers. */
export function variationCandidates(runs: RunDto[], targetLabel: (id: string) => string): CompareCandidate[] {
  return runs.flatMap((run) =>
    run.variations
      .filter((v) => v.status === 'succeeded' && v.output)
      .map((v) => ({
        key: v.id,
        label: `Run ${run.number} · Variation ${v.index + 1} · ${targetLabel(v.targetId)} · seed ${v.seed}`,
        kind: 'variation' as const,
        asset: v.output!,
        variationId: v.id,
        facts: {
          provider: v.provider,
          model: v.model,
          seed: v.seed,
          instruction: run.instruction,
          negativePrompt: run.negativePrompt,
          params: { size: run.params.size, format: run.params.format, strength: run.params.strength, guidance: run.params.guidance },
          runId: run.id,
          runNumber: run.number,
        },
      })),
  );
}

export function referenceCandidates(run: RunDto): CompareCandidate[] {
  return run.references.map((r) => ({
    key: `ref:${run.id}:${r.position}`,
    label: `Image ${r.position + 1} (reference of run ${run.number})`,
    kind: 'reference' as const,
    asset: r.asset,
    facts: { runId: run.id, runNumber: run.number },
  }));
}
