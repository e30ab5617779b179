'use client';

import { AlertTriangle, Download, GitFork, Info, Layers, Loader2, Maximize2, RotateCcw, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { adviceFor } from '@/lib/schemas/errors';
import { assetUrl, type VariationDto } from '@/lib/schemas/run';
import { AddToGallery } from '../galleries/add-to-gallery';
import { ReviewBadge } from '../galleries/review-badge';
import { Button } from '../ui/button';
import { IconButton } from '../ui/icon-button';
import { Rating } from '../ui/rating';
import { StarToggle } from '../ui/star-toggle';
import { between, formatMs, formatUsd } from './format';
import { costSourceLabel } from '@/lib/schemas/ledger';

type VariationActions = {
  onOpen: () => void;
  onUseAsReference: () => void;
  onRetry: () => void;
  onCancel: () => void;
  onStar: () => void;
  onRate: (rating: number | null) => void;
  onDelete: () => void;
  onAddToTray: () => void;
};

type Props = { variation: VariationDto; targetLabel: string; downloadName: string } & VariationActions;

/** One output slot: its live state while queued/running, then the image, its facts and its edits. */
export function VariationTile({ variation: v, targetLabel, downloadName, ...act }: Props) {
  const label = `Variation ${v.index + 1} · ${targetLabel} · seed ${v.seed}`;
  const runMs = between(v.startedAt, v.finishedAt);
  const queueMs = between(v.queuedAt, v.startedAt);
  const done = v.status === 'succeeded' && v.output;

  return (
    <figure
      className="group flex flex-col overflow-hidden rounded-lg border border-line bg-panel"
      data-status={v.status}
      aria-label={label}
    >
      <div className="checker relative aspect-square">
        {done ? (
          <button type="button" onClick={act.onOpen} className="block size-full" aria-label={`Compare ${label}`}>
            <img src={assetUrl(v.output!.sha256, 'thumb')} alt={label} loading="lazy" className="size-full object-contain" />
          </button>
        ) : v.status === 'failed' || v.status === 'cancelled' ? (
          <div className="flex size-full flex-col items-center justify-center gap-2 p-4 text-center" role="alert">
            <AlertTriangle size={20} className="text-danger" aria-hidden />
            <p className="text-xs font-medium text-ink">{v.status === 'cancelled' ? 'Cancelled' : failureTitle(v.errorCode)}</p>
            {v.errorMessage && <p className="line-clamp-4 text-[11px] leading-snug text-muted">{v.errorMessage}</p>}
            {adviceFor(v.errorCode) && <p className="text-[11px] leading-snug text-faint">{adviceFor(v.errorCode)}</p>}
            {v.blockKind && (
              <p className="text-[11px] leading-snug text-faint">
                {v.blockKind === 'prompt-blocked' ? 'Prompt blocked' : 'Output blocked'}
                {v.vendorRequestId && (
                  <>
                    {' · request '}
                    <span className="select-all font-mono">{v.vendorRequestId}</span>
                  </>
                )}
              </p>
            )}
            <Button size="sm" onClick={act.onRetry}>
              <RotateCcw size={12} aria-hidden /> Retry
            </Button>
          </div>
        ) : (
          <div className="flex size-full flex-col items-center justify-center gap-2 text-xs text-muted" role="status">
            <Loader2 size={18} className={v.status === 'queued' ? '' : 'animate-spin'} aria-hidden />
            <span>
              {v.status === 'queued'
                ? v.errorMessage
                  ? 'Waiting to retry'
                  : 'Queued'
                : v.status === 'submitting'
                  ? 'Submitting'
                  : 'Running'}
            </span>
            {v.errorMessage && v.status === 'queued' && <span className="px-3 text-center text-[11px] text-faint">{v.errorMessage}</span>}
            <Button size="sm" variant="ghost" onClick={act.onCancel} aria-label={`Cancel ${label}`}>
              Cancel
            </Button>
          </div>
        )}
        {done && (
          <div className="absolute right-1.5 top-1.5 flex gap-1 opacity-0 transition-opacity group-focus-within:opacity-100 group-hover:opacity-100">
            <IconButton tone="overlay" label={`Open ${label}`} onClick={act.onOpen}>
              <Maximize2 size={14} />
            </IconButton>
            <a
              href={`${assetUrl(v.output!.sha256, 'original')}?download=${encodeURIComponent(downloadName)}`}
              download
              aria-label={`Download ${label}`}
              title="Download"
              className="inline-flex size-8 items-center justify-center rounded-md bg-black/55 text-white backdrop-blur hover:bg-black/75"
            >
              <Download size={14} />
            </a>
            <IconButton tone="overlay" label={`Use ${label} as reference`} onClick={act.onUseAsReference}>
              <GitFork size={14} />
            </IconButton>
            <IconButton tone="overlay" label={`Add ${label} to compare tray`} onClick={act.onAddToTray}>
              <Layers size={14} />
            </IconButton>
            <AddToGallery look="icon" label={`Add ${label} to gallery`} selection={{ variationIds: [v.id] }} />
          </div>
        )}
        <ReviewBadge review={v.review} tone="overlay" className="pointer-events-none absolute bottom-1.5 left-1.5" />
        {v.starred && <span className="pointer-events-none absolute left-1.5 top-1.5 text-amber-400 drop-shadow">★</span>}
      </div>
      <figcaption className="flex flex-wrap items-center justify-between gap-x-2 gap-y-0.5 whitespace-nowrap px-2.5 py-1.5 text-[11px] text-muted">
        <span className="font-mono">seed {v.seed}</span>
        <span className="flex flex-wrap gap-x-2">
          {queueMs !== null && queueMs > 1500 && <span title="Time waiting in the queue">queue {formatMs(queueMs)}</span>}
          {runMs !== null && <span title="Time from start to stored output">{formatMs(runMs)}</span>}
          {v.costUsd !== null && (
            <span title={`Cost ${costSourceLabel(v.costSource)}`}>
              {v.costSource === 'estimate' && v.costUsd > 0 ? '~' : ''}
              {formatUsd(v.costUsd)}
            </span>
          )}
        </span>
      </figcaption>
      <div className="flex items-center justify-between border-t border-line px-1 py-0.5">
        <StarToggle starred={v.starred} onToggle={act.onStar} label={`Star ${label}`} />
        <Rating value={v.rating} onChange={act.onRate} label={`Rate ${label}`} />
        <span className="flex">
          {/* No prefetch: a grid of tiles would otherwise render every provenance page up front. */}
          <Link
            href={`/v/${v.id}`}
            prefetch={false}
            aria-label={`Details of ${label}`}
            title="Details and provenance"
            className="inline-flex size-8 items-center justify-center rounded-md text-muted hover:bg-raised hover:text-ink"
          >
            <Info size={14} aria-hidden />
          </Link>
          <IconButton label={`Delete ${label}`} onClick={act.onDelete}>
            <Trash2 size={14} />
          </IconButton>
        </span>
      </div>
    </figure>
  );
}

function failureTitle(code: string | null): string {
  const titles: Record<string, string> = {
    auth: 'Not authorised',
    insufficient_funds: 'Out of credit',
    rate_limited: 'Rate limited',
    bad_input: 'Request refused',
    content_policy: 'Blocked by content policy',
    timeout: 'Timed out',
    interrupted: 'Interrupted',
  };
  return (code && titles[code]) ?? 'Provider error';
}
