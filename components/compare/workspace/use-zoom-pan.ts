'use client';

import { useCallback, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { IDENTITY, panBy, wheelFactor, zoomAt, ZOOM_STEP, type ZoomTransform } from '@/lib/compare/zoom';

export type ZoomPan = {
  transform: ZoomTransform;
  panning: boolean;
  /** Callback ref for every viewport sharing this transform (both side-by-side panes). */
  viewportRef: (el: HTMLElement | null) => () => void;
  /** Pointer handlers for a viewport: drag pans, double-click resets. */
  handlers: {
    onPointerDown: (e: ReactPointerEvent<HTMLElement>) => void;
    onPointerMove: (e: ReactPointerEvent<HTMLElement>) => void;
    onPointerUp: (e: ReactPointerEvent<HTMLElement>) => void;
    onPointerCancel: (e: ReactPointerEvent<HTMLElement>) => void;
    onDoubleClick: () => void;
  };
  zoomIn: () => void;
  zoomOut: () => void;
  reset: () => void;
  /** CSS size of the viewports (they share one size), kept current by a ResizeObserver. */
  size: { width: number; height: number };
};

/** Elements inside a viewport that handle their own drags (the slider handle) carry this. */
const NO_PAN_ATTR = 'data-no-pan';

/**
 * One zoom/pan transform shared by any number of same-sized viewports, so side-by-side panes
 * move together. Scale is relative to the fitted image.
 */
export function useZoomPan(): ZoomPan {
  const [transform, setTransform] = useState<ZoomTransform>(IDENTITY);
  const [panning, setPanning] = useState(false);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const viewports = useRef(new Set<HTMLElement>());
  const drag = useRef<{ id: number; x: number; y: number } | null>(null);

  // React registers wheel listeners as passive, so they cannot stop the page scrolling or the
  // browser's own pinch zoom; a native non-passive listener can. React 19 runs the returned cleanup.
  const viewportRef = useCallback((el: HTMLElement | null) => {
    if (!el) return () => {};
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const rect = el.getBoundingClientRect();
      const factor = wheelFactor(e);
      setTransform((t) => zoomAt(t, { x: e.clientX - rect.left, y: e.clientY - rect.top }, factor));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    viewports.current.add(el);
    const observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const { width, height } = entry.contentRect;
      setSize((s) => (s.width === width && s.height === height ? s : { width, height }));
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      el.removeEventListener('wheel', onWheel);
      viewports.current.delete(el);
    };
  }, []);

  const zoomCentred = useCallback((factor: number) => {
    const first = viewports.current.values().next().value;
    const rect = first?.getBoundingClientRect();
    const centre = rect ? { x: rect.width / 2, y: rect.height / 2 } : { x: 0, y: 0 };
    setTransform((t) => zoomAt(t, centre, factor));
  }, []);

  const handlers = useMemo<ZoomPan['handlers']>(() => {
    const end = (e: ReactPointerEvent<HTMLElement>) => {
      if (drag.current?.id !== e.pointerId) return;
      drag.current = null;
      setPanning(false);
      if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
    };
    return {
      onPointerDown: (e) => {
        if (e.button !== 0 || (e.target as Element).closest(`[${NO_PAN_ATTR}]`)) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { id: e.pointerId, x: e.clientX, y: e.clientY };
        setPanning(true);
      },
      onPointerMove: (e) => {
        const d = drag.current;
        if (!d || d.id !== e.pointerId) return;
        const dx = e.clientX - d.x;
        const dy = e.clientY - d.y;
        drag.current = { ...d, x: e.clientX, y: e.clientY };
        setTransform((t) => panBy(t, dx, dy));
      },
      onPointerUp: end,
      onPointerCancel: end,
      onDoubleClick: () => setTransform(IDENTITY),
    };
  }, []);

  const zoomIn = useCallback(() => zoomCentred(ZOOM_STEP), [zoomCentred]);
  const zoomOut = useCallback(() => zoomCentred(1 / ZOOM_STEP), [zoomCentred]);
  const reset = useCallback(() => setTransform(IDENTITY), []);
  return {
    transform,
    panning,
    viewportRef,
    handlers,
    zoomIn,
    zoomOut,
    reset,
    size,
  };
}
