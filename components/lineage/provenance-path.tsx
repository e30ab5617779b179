import { cn } from '@/lib/cn';
import { AlertTriangle, ArrowDown, ArrowRight, Maximize2 } from 'lucide-react';
import { referenceAlt } from '@/lib/lineage/labels';
import { orderOriginalsFirst } from '@/lib/lineage/provenance';
import type { ProvenanceStep } from '@/lib/schemas/lineage';
import { assetUrl } from '@/lib/schemas/run';

/**
 * From the originals (uploaded references) to the image: one step per run, each showing what went in
 * and what came out. Vertical on narrow screens, horizontal from `lg` up. No state or handlers, so it
 * renders as a server component too.
 */
export function ProvenancePath({ steps }: { steps: ProvenanceStep[] }) {
  if (steps.length === 0) return <p className="text-sm text-muted">No history is recorded for this image.</p>;
  const ordered = orderOriginalsFirst(steps);
  // Which step produced a reference, to say "output of step 2" instead of "original".
  const stepOf = new Map(ordered.map((s, i) => [s.variationId, i + 1]));

  return (
    <ol aria-label="Path to originals" className="flex flex-col gap-2 lg:flex-row lg:items-stretch lg:overflow-x-auto lg:pb-2">
      {ordered.map((step, i) => {
        const last = i === ordered.length - 1;
        const outputAlt = `Output of run ${step.runNumber}, ${step.targetLabel}, seed ${step.seed}`;
        return (
          <li
            key={`${step.runId}-${step.variationId}`}
            className="flex flex-col items-center gap-2 lg:flex-row"
            aria-current={last ? 'step' : undefined}
          >
            {i > 0 && (
              <span className="text-faint" aria-hidden>
                <ArrowDown size={16} className="lg:hidden" />
                <ArrowRight size={16} className="hidden lg:block" />
              </span>
            )}
            <article
              aria-label={`Step ${i + 1}: run ${step.runNumber}`}
              className={cn('w-full rounded-lg border bg-panel p-3 lg:w-64 lg:shrink-0', last ? 'border-accent' : 'border-line')}
            >
              <p className="text-[11px] font-semibold uppercase tracking-wide text-faint">
                Step {i + 1} · Run {step.runNumber}
              </p>
              <ul className="mt-2 flex flex-wrap gap-1.5" aria-label={`References of run ${step.runNumber}`}>
                {[...step.references]
                  .sort((a, b) => a.position - b.position)
                  .map((r) => {
                    const from = r.producedByVariationId ? stepOf.get(r.producedByVariationId) : undefined;
                    const origin = from ? `step ${from}` : r.producedByVariationId ? 'earlier output' : 'original';
                    return (
                      <li key={r.position} className="flex w-12 flex-col items-center gap-0.5">
                        <span className="checker block size-12 overflow-hidden rounded border border-line">
                          <img
                            src={assetUrl(r.asset.sha256, 'thumb')}
                            alt={referenceAlt(step.runNumber, r.position)}
                            width={48}
                            height={48}
                            loading="lazy"
                            decoding="async"
                            className="size-full object-cover"
                          />
                        </span>
                        <span className={cn('text-[10px]', from ? 'text-accent' : 'text-faint')}>{origin}</span>
                      </li>
                    );
                  })}
              </ul>
              <p className="mt-2 line-clamp-4 text-sm leading-snug text-ink" title={step.instruction}>
                {step.instruction}
              </p>
              <p className="mt-1 text-[11px] text-muted">
                {step.targetLabel} · <span className="font-mono">seed {step.seed}</span>
              </p>
              <div className="checker relative mt-2 aspect-square w-full overflow-hidden rounded-md border border-line">
                {step.output ? (
                  <>
                    <img
                      src={assetUrl(step.output.sha256, 'thumb')}
                      srcSet={`${assetUrl(step.output.sha256, 'thumb')} 320w, ${assetUrl(step.output.sha256, 'preview')} 1280w`}
                      sizes="(min-width: 1024px) 16rem, 100vw"
                      alt={outputAlt}
                      loading="lazy"
                      decoding="async"
                      className="size-full object-contain"
                    />
                    <a
                      href={assetUrl(step.output.sha256, 'original')}
                      target="_blank"
                      rel="noreferrer"
                      aria-label={`Full size: ${outputAlt}`}
                      title="Full size"
                      className="absolute right-1.5 top-1.5 inline-flex size-8 items-center justify-center rounded-md bg-black/55 text-white backdrop-blur hover:bg-black/75"
                    >
                      <Maximize2 size={14} aria-hidden />
                    </a>
                  </>
                ) : (
                  <div
                    role="img"
                    aria-label={`${outputAlt}, no output`}
                    className="flex size-full flex-col items-center justify-center gap-1 bg-raised"
                  >
                    <AlertTriangle size={16} className="text-danger" aria-hidden />
                    <span className="text-xs text-muted" aria-hidden>
                      No output
                    </span>
                  </div>
                )}
              </div>
            </article>
          </li>
        );
      })}
    </ol>
  );
}
