'use client';

import { AlertTriangle, Download, ImagePlus, Loader2, Maximize2, RotateCcw } from 'lucide-react';
import { ERROR_ADVICE } from '@/lib/schemas/errors';
import { assetUrl, type VariationDto } from '@/lib/schemas/run';
import { IconButton } from '../ui/icon-button';
import { Button } from '../ui/button';
import { between, formatMs, formatUsd } from './format';

type Props = {
  variation: VariationDto;
  targetLabel: string;
  downloadName: string;
  onOpen: () => void;
  onUseAsReference: () => void;
  onRetry: () => void;
};

/** One output slot: its live state while queued/running, then the image with its facts. */
export function VariationTile({ variation: v, targetLabel, downloadName, onOpen, onUseAsReference, onRetry }: Props) {
  const label = `Variation ${v.index + 1} · ${targetLabel} · seed ${v.seed}`;
  const runMs = between(v.startedAt, v.finishedAt);
  const queueMs = between(v.queuedAt, v.startedAt);

  return (
    <figure className="group flex flex-col overflow-hidden rounded-lg border border-line bg-panel" data-status={v.status} aria-label={label}>
      <div className="checker relative aspect-square">
        {v.status === 'succeeded' && v.output ? (
          <button type="button" onClick={onOpen} className="block size-full" aria-label={`Compare ${label}`}>
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img
              src={assetUrl(v.output.sha256, 'thumb')}
              srcSet={`${assetUrl(v.output.sha256, 'thumb')} 320w, ${assetUrl(v.output.sha256, 'preview')} 1280w`}
              sizes="(min-width: 1600px) 22vw, 30vw"
              alt={label}
              loading="lazy"
              className="size-full object-contain"
            />
          </button>
        ) : v.status === 'failed' || v.status === 'cancelled' ? (
          <div className="flex size-full flex-col items-center justify-center gap-2 p-4 text-center" role="alert">
            <AlertTriangle size={20} className="text-danger" aria-hidden />
            <p className="text-xs font-medium text-ink">{v.status === 'cancelled' ? 'Cancelled' : failureTitle(v.errorCode)}</p>
            {v.errorMessage && <p className="line-clamp-4 text-[11px] leading-snug text-muted">{v.errorMessage}</p>}
            {v.errorCode && ERROR_ADVICE[v.errorCode] && <p className="text-[11px] leading-snug text-faint">{ERROR_ADVICE[v.errorCode]}</p>}
            <Button size="sm" onClick={onRetry}>
              <RotateCcw size={12} aria-hidden /> Retry
            </Button>
          </div>
        ) : (
          <div className="flex size-full flex-col items-center justify-center gap-2 text-xs text-muted" role="status">
            <Loader2 size={18} className={v.status === 'queued' ? '' : 'animate-spin'} aria-hidden />
            <span>{v.status === 'queued' ? (v.errorMessage ? 'Waiting to retry' : 'Queued') : v.status === 'submitting' ? 'Submitting' : 'Running'}</span>
            {v.errorMessage && v.status === 'queued' && <span className="px-3 text-center text-[11px] text-faint">{v.errorMessage}</span>}
          </div>
        )}
        {v.status === 'succeeded' && v.output && (
          <div className="absolute right-1.5 top-1.5 flex gap-1 opacity-0 transition-opacity group-focus-within:opacity-100 group-hover:opacity-100">
            <IconButton tone="overlay" label={`Open ${label}`} onClick={onOpen}>
              <Maximize2 size={14} />
            </IconButton>
            <a
              href={`${assetUrl(v.output.sha256, 'original')}?download=${encodeURIComponent(downloadName)}`}
              download
              aria-label={`Download ${label}`}
              title="Download"
              className="inline-flex size-8 items-center justify-center rounded-md bg-black/55 text-white backdrop-blur hover:bg-black/75"
            >
              <Download size={14} />
            </a>
            <IconButton tone="overlay" label={`Use ${label} as reference`} onClick={onUseAsReference}>
              <ImagePlus size={14} />
            </IconButton>
          </div>
        )}
      </div>
      <figcaption className="flex items-center justify-between gap-2 px-2.5 py-1.5 text-[11px] text-muted">
        <span className="font-mono">seed {v.seed}</span>
        <span className="flex gap-2">
          {queueMs !== null && queueMs > 1500 && <span title="Time waiting in the queue">queue {formatMs(queueMs)}</span>}
          {runMs !== null && <span title="Time from start to stored output">{formatMs(runMs)}</span>}
          {v.costUsd !== null && (
            <span title={v.costSource === 'provider' ? 'Cost reported by the provider' : 'Estimated from the list price'}>
              {v.costSource === 'estimate' && v.costUsd > 0 ? '~' : ''}
              {formatUsd(v.costUsd)}
            </span>
          )}
        </span>
      </figcaption>
    </figure>
  );
}

function failureTitle(code: string | null): string {
  switch (code) {
    case 'auth':
      return 'Not authorised';
    case 'insufficient_funds':
      return 'Out of credit';
    case 'rate_limited':
      return 'Rate limited';
    case 'bad_input':
      return 'Request refused';
    case 'content_policy':
      return 'Blocked by content policy';
    case 'timeout':
      return 'Timed out';
    case 'interrupted':
      return 'Interrupted';
    default:
      return 'Provider error';
  }
}
