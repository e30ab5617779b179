'use client';

import { useRef, useState } from 'react';
import { assetUrl } from '@/lib/schemas/run';
import type { CompareItem } from './compare-dialog';

/** B is drawn over A and clipped at the handle; drag, click or use the range input's keys. */
export function BeforeAfterSlider({ before, after }: { before: CompareItem; after: CompareItem }) {
  const [pos, setPos] = useState(50);
  const box = useRef<HTMLDivElement>(null);
  const fromPointer = (clientX: number) => {
    const rect = box.current?.getBoundingClientRect();
    if (!rect || rect.width === 0) return;
    setPos(Math.min(100, Math.max(0, ((clientX - rect.left) / rect.width) * 100)));
  };

  return (
    <div className="flex h-full flex-col">
      <div
        ref={box}
        className="checker relative min-h-0 flex-1 cursor-ew-resize touch-none select-none overflow-hidden rounded-lg"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          fromPointer(e.clientX);
        }}
        onPointerMove={(e) => e.buttons === 1 && fromPointer(e.clientX)}
      >
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img src={assetUrl(before.asset.sha256, 'preview')} alt={`Before: ${before.label}`} className="absolute inset-0 size-full object-contain" draggable={false} />
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img
          src={assetUrl(after.asset.sha256, 'preview')}
          alt={`After: ${after.label}`}
          className="absolute inset-0 size-full object-contain"
          style={{ clipPath: `inset(0 0 0 ${pos}%)` }}
          draggable={false}
        />
        <div className="pointer-events-none absolute inset-y-0 w-0.5 bg-white shadow-[0_0_0_1px_rgba(0,0,0,0.4)]" style={{ left: `${pos}%` }} />
        <span className="absolute left-2 top-2 rounded bg-black/60 px-1.5 py-0.5 text-[11px] text-white">A · {before.label}</span>
        <span className="absolute right-2 top-2 rounded bg-black/60 px-1.5 py-0.5 text-[11px] text-white">B · {after.label}</span>
      </div>
      <input
        type="range"
        min={0}
        max={100}
        step={1}
        value={Math.round(pos)}
        onChange={(e) => setPos(Number(e.target.value))}
        aria-label="Slider position"
        className="mt-3 w-full accent-[var(--accent)]"
      />
    </div>
  );
}
