'use client';

import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useState, type RefObject } from 'react';
import { gridColumns } from '@/lib/grid/keys';

const MIN_CELL = 180;
export const GAP = 8;
/** Room around the cells so the focus outline and selection ring are not clipped by the scroller. */
const PAD = 4;

/** The scroller's content width, followed with a ResizeObserver (0 until first measured). */
function useContentWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const read = () => setWidth(Math.max(0, el.clientWidth - 2 * PAD));
    read();
    const observer = new ResizeObserver(read);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/**
 * Square cells of at least 180 px in as many columns as fit, rows virtualised inside the
 * scroller. The focused row is always rendered (added to the range) so the roving tab stop and
 * the DOM focus survive scrolling it out of view with the wheel.
 */
export function useGridLayout(scrollRef: RefObject<HTMLDivElement | null>, count: number, focusIndex: number) {
  const width = useContentWidth(scrollRef);
  const { cols, cell } = gridColumns(width, MIN_CELL, GAP);
  const rowCount = width > 0 ? Math.ceil(count / cols) : 0;
  const focusRow = Math.floor(focusIndex / cols);

  const rangeExtractor = useCallback(
    (range: Range) => {
      const rows = defaultRangeExtractor(range);
      return focusRow >= range.count || rows.includes(focusRow) ? rows : [...rows, focusRow].sort((a, b) => a - b);
    },
    [focusRow],
  );

  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => cell,
    gap: GAP,
    paddingStart: PAD,
    paddingEnd: PAD,
    overscan: 2,
    rangeExtractor,
  });

  // Row heights are estimates that never get measured; a new cell size must reset them.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `cell` is the trigger (a new cell size), not read inside
  useEffect(() => virtualizer.measure(), [cell, virtualizer]);

  /** Rows that fit in one screenful, for PageUp/PageDown. */
  const pageRows = () => Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / (cell + GAP)));

  return { cols, cell, rowCount, virtualizer, pageRows };
}
