'use client';

import { useId, useState } from 'react';
import { cn } from '@/lib/cn';
import type { ReviewItemDto } from '@/lib/schemas/review';
import { useZoomPan, type ZoomPan } from '../compare/workspace/use-zoom-pan';
import { ZoomLayer, ZoomViewport } from '../compare/workspace/zoom-viewport';
import { Button } from '../ui/button';

type Mode = 'side' | 'slider';

export function itemName(item: ReviewItemDto): string {
  return [`Image ${item.number}`, item.caption, item.target].filter(Boolean).join(' · ');
}

function Pane({ zoom, item, side }: { zoom: ZoomPan; item: ReviewItemDto; side: string }) {
  return (
    <ZoomLayer zoom={zoom}>
      <img
        src={item.previewUrl}
        alt={`${side}: ${itemName(item)}`}
        className="absolute inset-0 size-full object-contain"
        draggable={false}
      />
    </ZoomLayer>
  );
}

/**
 * The studio's compare modes for a reviewer: side by side and slider over one shared zoom/pan
 * (the studio's viewport and zoom hook), with images served through the link. Any two items.
 */
export function ReviewCompare({ items, initialA, onClose }: { items: ReviewItemDto[]; initialA: number; onClose: () => void }) {
  const [a, setA] = useState(initialA);
  const [b, setB] = useState(initialA === 0 ? Math.min(1, items.length - 1) : 0);
  const [mode, setMode] = useState<Mode>('side');
  const [position, setPosition] = useState(50);
  const zoom = useZoomPan();
  const ids = useId();
  const A = items[a]!;
  const B = items[b]!;
  const select = (label: string, value: number, set: (n: number) => void, key: string) => (
    <label htmlFor={`${ids}-${key}`} className="flex min-w-0 flex-1 basis-36 items-center gap-1.5 text-sm text-muted sm:flex-none">
      {label}
      <select
        id={`${ids}-${key}`}
        value={value}
        onChange={(e) => set(Number(e.target.value))}
        className="h-9 w-full min-w-0 rounded-md sm:max-w-[14rem] border border-line bg-panel px-2 text-sm text-ink"
      >
        {items.map((item, i) => (
          <option key={item.id} value={i}>
            {itemName(item)}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section aria-label="Compare two images" className="flex h-[min(78dvh,56rem)] flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        {select('A', a, setA, 'a')}
        {select('B', b, setB, 'b')}
        <div role="radiogroup" aria-label="Compare mode" className="flex rounded-md border border-line bg-panel p-0.5">
          {(
            [
              ['side', 'Side by side'],
              ['slider', 'Slider'],
            ] as const
          ).map(([id, label]) => (
            // biome-ignore lint/a11y/useSemanticElements: a two-option segmented control styled as buttons
            <button
              key={id}
              type="button"
              role="radio"
              aria-checked={mode === id}
              onClick={() => setMode(id)}
              className={cn('rounded px-2.5 py-1 text-xs', mode === id ? 'bg-raised font-medium text-ink' : 'text-muted hover:text-ink')}
            >
              {label}
            </button>
          ))}
        </div>
        <Button onClick={onClose} className="ml-auto">
          Close compare
        </Button>
      </div>
      {mode === 'side' ? (
        <div className="grid min-h-0 flex-1 grid-cols-2 gap-2">
          <ZoomViewport zoom={zoom} label="Pane A">
            <Pane zoom={zoom} item={A} side="A" />
          </ZoomViewport>
          <ZoomViewport zoom={zoom} label="Pane B">
            <Pane zoom={zoom} item={B} side="B" />
          </ZoomViewport>
        </div>
      ) : (
        <div className="flex min-h-0 flex-1 flex-col">
          <ZoomViewport zoom={zoom} label="Slider comparison">
            <Pane zoom={zoom} item={A} side="A" />
            <div className="absolute inset-0" style={{ clipPath: `inset(0 0 0 ${position}%)` }}>
              <Pane zoom={zoom} item={B} side="B" />
            </div>
            <div aria-hidden className="pointer-events-none absolute inset-y-0 w-0.5 bg-white shadow" style={{ left: `${position}%` }} />
          </ZoomViewport>
          <input
            type="range"
            min={0}
            max={100}
            value={Math.round(position)}
            onChange={(e) => setPosition(Number(e.target.value))}
            aria-label="Slider position"
            className="mt-3 w-full accent-[var(--accent)]"
          />
        </div>
      )}
      <p className="text-xs text-faint">Pinch or scroll to zoom, drag to pan, double-tap to reset: both images move together.</p>
    </section>
  );
}
