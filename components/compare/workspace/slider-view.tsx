'use client';

import type { PointerEvent as ReactPointerEvent } from 'react';
import type { CompareCandidate } from '@/lib/schemas/compare';
import type { ZoomPan } from './use-zoom-pan';
import { PaneLabel, ZoomImage, ZoomLayer, ZoomViewport } from './zoom-viewport';

type Props = { zoom: ZoomPan; a: CompareCandidate; b: CompareCandidate; position: number; onPosition: (p: number) => void };

/**
 * B over A, clipped at a handle. The clip is in screen space (outside the zoom layer), so the
 * handle stays a straight line where the user put it while they zoom and pan underneath.
 * Dragging the handle moves it (it carries `data-no-pan`, see NO_PAN_ATTR); dragging anywhere else pans.
 */
export function SliderView({ zoom, a, b, position, onPosition }: Props) {
  const fromPointer = (e: ReactPointerEvent<HTMLElement>) => {
    const rect = e.currentTarget.parentElement?.getBoundingClientRect();
    if (!rect || rect.width === 0) return;
    onPosition(Math.min(100, Math.max(0, ((e.clientX - rect.left) / rect.width) * 100)));
  };
  return (
    <div className="flex h-full min-h-0 flex-col">
      <ZoomViewport zoom={zoom} label="Slider comparison">
        <ZoomLayer zoom={zoom}>
          <ZoomImage zoom={zoom} item={a} alt={`A: ${a.label}`} />
        </ZoomLayer>
        <div className="absolute inset-0" style={{ clipPath: `inset(0 0 0 ${position}%)` }}>
          <ZoomLayer zoom={zoom}>
            <ZoomImage zoom={zoom} item={b} alt={`B: ${b.label}`} />
          </ZoomLayer>
        </div>
        <div
          data-no-pan=""
          aria-hidden
          className="absolute inset-y-0 z-10 -ml-3 flex w-6 cursor-ew-resize justify-center"
          style={{ left: `${position}%` }}
          onPointerDown={(e) => {
            if (e.button !== 0) return;
            e.currentTarget.setPointerCapture(e.pointerId);
          }}
          onPointerMove={(e) => e.currentTarget.hasPointerCapture(e.pointerId) && fromPointer(e)}
          onPointerUp={(e) => e.currentTarget.releasePointerCapture(e.pointerId)}
          onDoubleClick={(e) => e.stopPropagation()}
        >
          <div className="h-full w-0.5 bg-white shadow-[0_0_0_1px_rgba(0,0,0,0.4)]" />
          <div className="absolute top-1/2 size-6 -translate-y-1/2 rounded-full border-2 border-white bg-black/50 shadow" />
        </div>
        <PaneLabel side="A" item={a} className="left-2" />
        <PaneLabel side="B" item={b} className="right-2" />
      </ZoomViewport>
      <input
        type="range"
        min={0}
        max={100}
        step={1}
        value={Math.round(position)}
        onChange={(e) => onPosition(Number(e.target.value))}
        aria-label="Slider position"
        className="mt-3 w-full accent-[var(--accent)]"
      />
    </div>
  );
}
