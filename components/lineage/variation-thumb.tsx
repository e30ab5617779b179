'use client';

import { cn } from '@/lib/cn';
import { AlertTriangle, GitBranch, Layers, Loader2, Route, Star } from 'lucide-react';
import Link from 'next/link';
import { variationAlt, variationName } from '@/lib/lineage/labels';
import type { LineageRun } from '@/lib/schemas/lineage';
import { assetUrl } from '@/lib/schemas/run';
import { AddToGallery } from '../galleries/add-to-gallery';
import { ReviewBadge } from '../galleries/review-badge';
import { IconButton } from '../ui/icon-button';

type Props = {
  runNumber: number;
  variation: LineageRun['variations'][number];
  multiTarget: boolean;
  highlighted: boolean;
  provenanceHref: string;
  onFork: (variationId: string) => void;
  onAddToTray?: (variationId: string) => void;
};

/** One output in the lineage: a small thumbnail (or a failed/pending tile), fork and provenance. */
export function VariationThumb({ runNumber, variation: v, multiTarget, highlighted, provenanceHref, onFork, onAddToTray }: Props) {
  const name = variationName(runNumber, v, multiTarget);
  const alt = variationAlt(runNumber, v);
  const failed = v.status === 'failed' || v.status === 'cancelled';
  const hasImage = v.status === 'succeeded' && v.output !== null;

  return (
    <li
      className="flex w-20 flex-col items-center gap-0.5"
      data-variation-id={v.id}
      aria-current={highlighted ? 'true' : undefined}
      title={`${v.targetLabel} · seed ${v.seed}`}
    >
      <div
        className={cn(
          'checker relative size-20 overflow-hidden rounded-md border',
          highlighted ? 'border-accent ring-2 ring-accent' : 'border-line',
        )}
      >
        {hasImage && v.output ? (
          // Plain <img>: thumbnails are already small renditions; next/image would add a resize hop per tile.
          <img
            src={assetUrl(v.output.sha256, 'thumb')}
            alt={alt}
            width={80}
            height={80}
            loading="lazy"
            decoding="async"
            className="size-full object-cover"
          />
        ) : failed ? (
          <div
            role="img"
            aria-label={`${alt}, ${v.status}`}
            className="flex size-full flex-col items-center justify-center gap-1 bg-raised"
          >
            <AlertTriangle size={14} className="text-danger" aria-hidden />
            <span className="text-[10px] text-muted" aria-hidden>
              {v.status === 'cancelled' ? 'Cancelled' : 'Failed'}
            </span>
          </div>
        ) : (
          <div
            role="img"
            aria-label={`${alt}, ${v.status}`}
            className="flex size-full flex-col items-center justify-center gap-1 bg-raised"
          >
            <Loader2 size={14} className="text-faint" aria-hidden />
            <span className="text-[10px] text-muted" aria-hidden>
              {v.status === 'succeeded' ? 'No output' : v.status === 'queued' ? 'Queued' : 'Running'}
            </span>
          </div>
        )}
        <ReviewBadge review={v.review} tone="overlay" className="pointer-events-none absolute bottom-0.5 left-0.5 gap-1 px-1" />
        {v.starred && (
          <span className="absolute right-0.5 top-0.5 rounded bg-black/55 p-0.5 text-white" title="Starred">
            <Star size={10} fill="currentColor" aria-hidden />
            <span className="sr-only">Starred</span>
          </span>
        )}
      </div>
      {hasImage && (
        // Wraps to two rows: four 32 px actions do not fit under an 80 px thumbnail.
        <div className="flex flex-wrap justify-center">
          <IconButton label={`Fork from ${name}`} onClick={() => onFork(v.id)}>
            <GitBranch size={14} aria-hidden />
          </IconButton>
          <Link
            prefetch={false}
            href={provenanceHref}
            aria-label={`Open provenance of ${name}`}
            title={`Open provenance of ${name}`}
            className="inline-flex size-8 items-center justify-center rounded-md text-muted hover:bg-raised hover:text-ink"
          >
            <Route size={14} aria-hidden />
          </Link>
          {onAddToTray && (
            <IconButton label={`Add ${name} to compare tray`} onClick={() => onAddToTray(v.id)}>
              <Layers size={14} aria-hidden />
            </IconButton>
          )}
          <AddToGallery look="plain" label={`Add ${name} to gallery`} selection={{ variationIds: [v.id] }} />
        </div>
      )}
    </li>
  );
}
