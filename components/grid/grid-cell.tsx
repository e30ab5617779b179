'use client';

import { cn } from '@/lib/cn';
import { AlertTriangle, Loader2, Star } from 'lucide-react';
import { memo, type MouseEvent } from 'react';
import { cellLabel, cellStateLabel } from '@/lib/grid/labels';
import { findTarget } from '@/lib/providers/catalog';
import { assetUrl } from '@/lib/schemas/run';
import type { GridItem } from '@/lib/schemas/history';
import { ReviewBadge } from '../galleries/review-badge';

export type CellMods = { toggle: boolean; range: boolean };

type Props = {
  item: GridItem;
  index: number;
  column: number;
  size: number;
  selected: boolean;
  /** The roving tab stop: the one cell reachable with Tab. */
  tabbable: boolean;
  onPick: (index: number, mods: CellMods) => void;
  onOpen: (index: number) => void;
};

const mods = (e: MouseEvent) => ({ toggle: e.ctrlKey || e.metaKey, range: e.shiftKey });

/**
 * One fixed-size thumbnail in the culling grid. Memoised: moving the focus re-renders only the
 * two cells whose tab stop changed, not a screenful.
 */
export const GridCell = memo(function GridCell({ item, index, column, size, selected, tabbable, onPick, onOpen }: Props) {
  const target = findTarget(item.targetId)?.label ?? item.targetId;
  const label = cellLabel(item, target);
  const failed = item.status === 'failed' || item.status === 'cancelled';

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the grid's own onKeyDown handles every key for the focused cell (culling-grid.tsx)
    // biome-ignore lint/a11y/useSemanticElements: a cell of the ARIA grid over virtualised rows (see culling-grid.tsx), not a table cell
    <div
      role="gridcell"
      aria-selected={selected}
      aria-colindex={column + 1}
      aria-label={cellStateLabel(item, target)}
      tabIndex={tabbable ? 0 : -1}
      data-index={index}
      style={{ width: size, height: size }}
      onClick={(e) => onPick(index, mods(e))}
      onDoubleClick={() => onOpen(index)}
      className={cn(
        'group relative cursor-default select-none overflow-hidden rounded-md border bg-panel',
        selected ? 'border-accent ring-2 ring-accent' : 'border-line',
      )}
    >
      <div className="checker size-full">
        {item.status === 'succeeded' && item.output ? (
          // Plain <img>: the 320 px thumbnail is already small; next/image would add a resize hop per cell.
          <img
            // Remount per item: the cell itself is reused by position, and a reused <img> would
            // keep showing the previous item's picture until the new one decoded.
            key={item.id}
            src={assetUrl(item.output.sha256, 'thumb')}
            alt={label}
            width={size}
            height={size}
            loading="lazy"
            decoding="async"
            draggable={false}
            className="size-full object-contain"
          />
        ) : failed ? (
          <div
            role="img"
            aria-label={`${label}, ${item.status}`}
            className="flex size-full flex-col items-center justify-center gap-1 bg-raised p-2 text-center"
          >
            <AlertTriangle size={18} className="text-danger" aria-hidden />
            <span className="text-xs font-medium text-ink" aria-hidden>
              {item.status === 'cancelled' ? 'Cancelled' : 'Failed'}
            </span>
            {item.errorCode && (
              <code className="text-[11px] text-muted" aria-hidden>
                {item.errorCode}
              </code>
            )}
          </div>
        ) : (
          <div
            role="img"
            aria-label={`${label}, ${item.status}`}
            className="flex size-full flex-col items-center justify-center gap-1 bg-raised text-xs text-muted"
          >
            <Loader2 size={16} className={cn('text-faint', item.status !== 'queued' && 'animate-spin')} aria-hidden />
            <span aria-hidden>{item.status === 'queued' ? 'Queued' : item.status === 'succeeded' ? 'No output' : 'Running'}</span>
          </div>
        )}
      </div>
      <input
        type="checkbox"
        aria-label={`Select ${label}`}
        // Not a tab stop of its own: the cell is (roving tabindex), and Space on it toggles this.
        tabIndex={-1}
        checked={selected}
        onClick={(e) => e.stopPropagation()}
        onChange={(e) => onPick(index, { toggle: true, range: 'shiftKey' in e.nativeEvent && e.nativeEvent.shiftKey === true })}
        className={cn(
          'absolute left-1.5 top-1.5 size-4 cursor-pointer accent-[var(--accent)] transition-opacity',
          selected ? 'opacity-100' : 'opacity-0 group-focus-within:opacity-100 group-hover:opacity-100 focus-visible:opacity-100',
        )}
      />
      {item.starred && (
        <span className="pointer-events-none absolute right-1.5 top-1.5 rounded bg-black/55 p-1 text-amber-400" title="Starred" aria-hidden>
          <Star size={12} fill="currentColor" />
        </span>
      )}
      <ReviewBadge review={item.review} tone="overlay" className="pointer-events-none absolute bottom-1.5 right-1.5" />
      {item.rating !== null && (
        <span
          className="pointer-events-none absolute bottom-1.5 left-1.5 flex gap-0.5 rounded-full bg-black/55 px-1.5 py-1"
          title={`Rated ${item.rating} of 5`}
          aria-hidden
        >
          {[1, 2, 3, 4, 5].map((n) => (
            <span key={n} className={cn('size-1.5 rounded-full', n <= (item.rating ?? 0) ? 'bg-amber-400' : 'bg-white/35')} />
          ))}
        </span>
      )}
    </div>
  );
});
