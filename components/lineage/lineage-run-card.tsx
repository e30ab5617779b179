'use client';

import { cn } from '@/lib/cn';
import { ChevronDown, ChevronRight, Loader2 } from 'lucide-react';
import { memo } from 'react';
import { isMultiTarget, referenceAlt } from '@/lib/lineage/labels';
import type { LineageRun } from '@/lib/schemas/lineage';
import { assetUrl } from '@/lib/schemas/run';
import { IconButton } from '../ui/icon-button';
import { VariationThumb } from './variation-thumb';

type Props = {
  run: LineageRun;
  /** On the path from the originals to the highlighted image. */
  onPath: boolean;
  /** Set only on the card that owns the highlighted variation, so other cards skip re-rendering. */
  highlightVariationId: string | undefined;
  /** Runs below this one in the tree; 0 hides the collapse toggle. */
  descendants: number;
  /** Its later runs are hidden, or not loaded yet (the toggle then asks for them). */
  collapsed: boolean;
  /** Its later runs are being loaded. */
  loading?: boolean;
  onToggle: (runId: string) => void;
  onFork: (variationId: string) => void;
  onAddToTray?: (variationId: string) => void;
  provenanceHref: (variationId: string) => string;
  /** "Run 3" for references that are outputs of earlier variations, by variation id. */
  producedBy: (variationId: string) => string | undefined;
};

/** A run in the lineage tree: what was asked, from which references, and what came out. */
export const LineageRunCard = memo(function LineageRunCard({
  run,
  onPath,
  highlightVariationId,
  descendants,
  collapsed,
  loading = false,
  onToggle,
  onFork,
  onAddToTray,
  provenanceHref,
  producedBy,
}: Props) {
  const multiTarget = isMultiTarget(run);
  const headingId = `lineage-run-${run.id}`;

  return (
    <article
      aria-labelledby={headingId}
      data-on-path={onPath || undefined}
      // content-visibility lets the browser skip layout and paint of off-screen cards at ~200 runs.
      className={cn(
        'rounded-lg border bg-panel p-3 [contain-intrinsic-size:auto_180px] [content-visibility:auto]',
        onPath ? 'border-accent' : 'border-line',
      )}
    >
      <header className="flex items-start gap-2">
        {descendants > 0 && (
          <IconButton
            label={`Runs after run ${run.number}`}
            aria-expanded={!collapsed}
            onClick={() => onToggle(run.id)}
            className="-ml-1 -mt-1"
          >
            {collapsed ? <ChevronRight size={16} aria-hidden /> : <ChevronDown size={16} aria-hidden />}
          </IconButton>
        )}
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-baseline gap-x-2">
            <h3 id={headingId} className="text-[11px] font-semibold uppercase tracking-wide text-faint">
              Run {run.number}
            </h3>
            {onPath && <span className="text-[11px] text-accent">on the path to the selected image</span>}
          </div>
          <p className="mt-0.5 line-clamp-3 text-sm leading-snug text-ink" title={run.instruction}>
            {run.instruction}
          </p>
        </div>
        <ul className="flex shrink-0 gap-1" aria-label={`References of run ${run.number}`}>
          {run.references.map((r) => {
            const origin = r.producer
              ? `variation ${r.producer.index + 1} of run ${r.producer.runNumber}`
              : r.producedByVariationId
                ? producedBy(r.producedByVariationId)
                : undefined;
            return (
              <li
                key={r.position}
                className="checker size-10 overflow-hidden rounded border border-line"
                title={origin ? `Output of ${origin}` : 'Uploaded original'}
              >
                <img
                  src={assetUrl(r.asset.sha256, 'thumb')}
                  alt={referenceAlt(run.number, r.position)}
                  width={40}
                  height={40}
                  loading="lazy"
                  decoding="async"
                  className="size-full object-cover"
                />
              </li>
            );
          })}
        </ul>
      </header>
      <ul className="mt-2 flex flex-wrap gap-2" aria-label={`Variations of run ${run.number}`}>
        {run.variations.map((v) => (
          <VariationThumb
            key={v.id}
            runNumber={run.number}
            variation={v}
            multiTarget={multiTarget}
            highlighted={v.id === highlightVariationId}
            provenanceHref={provenanceHref(v.id)}
            onFork={onFork}
            onAddToTray={onAddToTray}
          />
        ))}
      </ul>
      {collapsed && descendants > 0 && (
        <button
          type="button"
          onClick={() => onToggle(run.id)}
          disabled={loading}
          className="mt-2 inline-flex items-center gap-1 text-[11px] text-muted hover:text-ink disabled:opacity-60"
        >
          {loading && <Loader2 size={11} className="animate-spin" aria-hidden />}
          Show {descendants} later run{descendants === 1 ? '' : 's'}
        </button>
      )}
    </article>
  );
});
