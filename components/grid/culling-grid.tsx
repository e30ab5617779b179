'use client';

import { Images, Loader2 } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { keyCommand, moveFocus } from '@/lib/grid/keys';
import { EMPTY_SELECTION, clickSelect, extendTo, pruneSelection, selectAll, type GridSelection } from '@/lib/grid/selection';
import type { GridItem } from '@/lib/schemas/history';
import { Button } from '../ui/button';
import { BulkBar, KeyLegend } from './bulk-bar';
import { GridCell, type CellMods } from './grid-cell';
import { useCulling } from './use-culling';
import { useGridData } from './use-grid-data';
import { GAP, useGridLayout } from './use-grid-layout';

type Props = { sessionId: string; onOpen?: (item: GridItem) => void };

/** Start fetching the next page when the visible rows come this close to the loaded end. */
const LOAD_AHEAD_ROWS = 6;

/**
 * Every variation of a session as a virtualised grid of thumbnails for fast culling. The grid is
 * its own scroller and fills its parent's height (capped at the viewport height if the parent
 * has none); only the visible rows, the overscan and the focused row are in the DOM.
 */
export function CullingGrid({ sessionId, onOpen }: Props) {
  const { items, total, isPending, error, refetch, hasNextPage, isFetchingNextPage, fetchNextPage } = useGridData(sessionId);
  const culling = useCulling(sessionId);
  const ids = useMemo(() => items.map((i) => i.id), [items]);
  const [focusIndex, setFocusIndex] = useState(0);
  const focus = Math.min(focusIndex, Math.max(0, items.length - 1));
  // Also kept in a ref: culling keys resolve "the focused item" when their turn comes (see Targets).
  const focusRef = useRef(0);
  const [selection, setSelection] = useState<GridSelection>(EMPTY_SELECTION);
  const scrollRef = useRef<HTMLDivElement>(null);
  const { cols, cell, rowCount, virtualizer, pageRows } = useGridLayout(scrollRef, items.length, focus);

  // Rejected (or elsewhere deleted) items leave the selection.
  useEffect(() => setSelection((s) => pruneSelection(s, new Set(ids))), [ids]);

  // DOM focus follows `focus` after keyboard moves, clicks, rejects and undos. Cells are keyed by
  // position, so a reject usually keeps the focused element; rejecting the last one does not.
  const wantFocus = useRef(false);
  const [, setFocusTick] = useState(0);
  const requestFocus = useCallback(() => {
    wantFocus.current = true;
    setFocusTick((t) => t + 1);
  }, []);
  const moveTo = useCallback(
    (index: number) => {
      focusRef.current = index;
      setFocusIndex(index);
      requestFocus();
    },
    [requestFocus],
  );
  useEffect(() => {
    if (!wantFocus.current || items.length === 0) return;
    virtualizer.scrollToIndex(Math.floor(focus / cols), { align: 'auto' });
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${focus}"]`);
    if (!el) return;
    wantFocus.current = false;
    if (document.activeElement !== el) el.focus({ preventScroll: true });
  });

  const virtualRows = virtualizer.getVirtualItems();
  const lastVisibleRow = virtualizer.range?.endIndex ?? -1;
  useEffect(() => {
    if (isPending || !hasNextPage || isFetchingNextPage || error) return;
    if (rowCount === 0 || lastVisibleRow >= rowCount - LOAD_AHEAD_ROWS) void fetchNextPage();
  }, [isPending, hasNextPage, isFetchingNextPage, error, rowCount, lastVisibleRow, fetchNextPage]);

  // Cells are memoised; their handlers read the latest state through a ref to stay stable.
  const latest = useRef({ items, ids, onOpen });
  latest.current = { items, ids, onOpen };
  const onPick = useCallback(
    (index: number, mods: CellMods) => {
      const item = latest.current.items[index];
      if (!item) return;
      setSelection((s) => clickSelect(s, latest.current.ids, item.id, mods));
      moveTo(index);
    },
    [moveTo],
  );
  const onOpenIndex = useCallback((index: number) => {
    const item = latest.current.items[index];
    if (item) latest.current.onOpen?.(item);
  }, []);

  const selectedIds = ids.filter((id) => selection.ids.has(id));
  const focusOn = (id: string | undefined) => {
    const at = id ? culling.current().findIndex((i) => i.id === id) : -1;
    if (at >= 0) moveTo(at);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const cmd = keyCommand(e);
    const current = items[focus];
    if (!cmd || !current) return;
    // Space on the checkbox itself is its own toggle.
    if (cmd.type === 'toggleSelect' && e.target instanceof HTMLInputElement) return;
    if (cmd.type === 'open' && !onOpen) return;
    if (cmd.type === 'clearSelection' && selection.ids.size === 0) return;
    e.preventDefault();
    const atFocus = (all: GridItem[]) => {
      const item = all[Math.min(focusRef.current, all.length - 1)];
      return item ? [item.id] : [];
    };
    const targets = selectedIds.length > 1 ? selectedIds : atFocus;
    switch (cmd.type) {
      case 'move': {
        const next = moveFocus(focus, cmd.to, cols, items.length, pageRows());
        const to = items[next];
        if (cmd.extend && to) setSelection((s) => extendTo(s, ids, current.id, to.id));
        return moveTo(next);
      }
      case 'rate':
        return void culling.rate(targets, cmd.value);
      case 'star':
        return void culling.toggleStar(targets);
      case 'reject':
        // Rejecting the last cell unmounts the focused element; refocus once React Query has
        // delivered the shorter list (its notifications are batched on a 0 ms timer).
        return void culling.reject(targets).then(() => setTimeout(requestFocus, 0));
      case 'undo':
        return void culling.undo().then((entry) => entry?.kind === 'reject' && focusOn(entry.items[0]?.id));
      case 'open':
        return onOpen?.(current);
      case 'toggleSelect':
        return setSelection((s) => clickSelect(s, ids, current.id, { toggle: true, range: false }));
      case 'selectAll':
        return setSelection(selectAll(ids));
      case 'clearSelection':
        return setSelection(EMPTY_SELECTION);
    }
  };

  return (
    <div className="flex h-full max-h-dvh min-h-0 flex-col gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2 px-1">
        <p className="text-sm text-muted">
          {isPending ? 'Loading…' : `${total.toLocaleString()} variation${total === 1 ? '' : 's'}`}
          {hasNextPage && !isPending && <span className="text-faint"> · {items.length.toLocaleString()} loaded</span>}
        </p>
        <KeyLegend />
      </div>
      {selectedIds.length > 0 && (
        <BulkBar
          count={selectedIds.length}
          onStar={() => void culling.setStar(selectedIds, true)}
          onUnstar={() => void culling.setStar(selectedIds, false)}
          onDelete={() => void culling.reject(selectedIds, true)}
          onAddToTray={() => void culling.addToTray(selectedIds)}
          gallerySelection={() => ({ variationIds: selectedIds })}
          onClear={() => setSelection(EMPTY_SELECTION)}
        />
      )}
      {error && (
        <div role="alert" className="flex items-center gap-3 px-1 text-sm text-danger">
          {error.message}
          <Button size="sm" onClick={() => void (items.length === 0 ? refetch() : fetchNextPage())}>
            Try again
          </Button>
        </div>
      )}
      <div ref={scrollRef} className="min-h-0 flex-1 overflow-y-auto px-1 [scrollbar-gutter:stable]">
        {isPending ? (
          <p role="status" className="flex items-center justify-center gap-2 py-16 text-sm text-muted">
            <Loader2 size={16} className="animate-spin" aria-hidden /> Loading variations…
          </p>
        ) : items.length === 0 && !hasNextPage && !error ? (
          <div className="flex h-full flex-col items-center justify-center gap-3 py-16 text-center text-muted">
            <Images size={28} aria-hidden className="text-faint" />
            <p className="text-sm font-medium text-ink">No variations yet</p>
            <p className="max-w-sm text-sm">Runs of this session will fill this grid. Rejected variations are in the Trash.</p>
          </div>
        ) : (
          <>
            {/* biome-ignore lint/a11y/useSemanticElements: the WAI-ARIA grid pattern over virtualised, absolutely positioned rows, which a <table> cannot lay out */}
            <div
              role="grid"
              aria-label="Variations"
              aria-multiselectable="true"
              aria-rowcount={Math.max(rowCount, Math.ceil(total / cols))}
              aria-colcount={cols}
              onKeyDown={onKeyDown}
              className="relative w-full"
              style={{ height: virtualizer.getTotalSize() }}
            >
              {virtualRows.map((row) => (
                // biome-ignore lint/a11y/useFocusableInteractive: in the grid pattern the cells take focus (roving tabindex), never the rows
                // biome-ignore lint/a11y/useSemanticElements: a row of the ARIA grid over virtualised, absolutely positioned rows, not a <tr>
                <div
                  key={row.key}
                  role="row"
                  aria-rowindex={row.index + 1}
                  className="absolute left-0 top-0 flex"
                  style={{ transform: `translateY(${row.start}px)`, gap: GAP, height: cell }}
                >
                  {items.slice(row.index * cols, row.index * cols + cols).map((item, c) => {
                    const index = row.index * cols + c;
                    return (
                      <GridCell
                        // biome-ignore lint/suspicious/noArrayIndexKey: keyed by column on purpose: after a reject the focused cell stays mounted and shows the next item, so focus never drops to <body>
                        key={c}
                        item={item}
                        index={index}
                        column={c}
                        size={cell}
                        selected={selection.ids.has(item.id)}
                        tabbable={index === focus}
                        onPick={onPick}
                        onOpen={onOpenIndex}
                      />
                    );
                  })}
                </div>
              ))}
            </div>
            {(isFetchingNextPage || hasNextPage) && (
              <p role="status" className="flex items-center justify-center gap-2 py-4 text-xs text-muted">
                {isFetchingNextPage && <Loader2 size={14} className="animate-spin" aria-hidden />}
                {isFetchingNextPage ? 'Loading more…' : `${items.length.toLocaleString()} of ${total.toLocaleString()} loaded`}
              </p>
            )}
          </>
        )}
      </div>
    </div>
  );
}
