'use client';

import type { CompareCandidate } from '@/lib/schemas/compare';
import type { ZoomPan } from './use-zoom-pan';
import { PaneLabel, ZoomImage, ZoomLayer, ZoomViewport } from './zoom-viewport';

type Props = { zoom: ZoomPan; a: CompareCandidate; b: CompareCandidate; amount: number; onAmount: (p: number) => void };

/** B over A at an adjustable opacity: good for spotting shifts that a hard edge hides. */
export function FadeView({ zoom, a, b, amount, onAmount }: Props) {
  return (
    <div className="flex h-full min-h-0 flex-col">
      <ZoomViewport zoom={zoom} label="Fade comparison">
        <ZoomLayer zoom={zoom}>
          <ZoomImage zoom={zoom} item={a} alt={`A: ${a.label}`} />
        </ZoomLayer>
        <ZoomLayer zoom={zoom} style={{ opacity: amount / 100 }}>
          <ZoomImage zoom={zoom} item={b} alt={`B: ${b.label}`} />
        </ZoomLayer>
        <PaneLabel side="A" item={a} className="left-2" />
        <PaneLabel side="B" item={b} className="right-2" />
      </ZoomViewport>
      <div className="mt-3 flex items-center gap-3 text-xs text-muted">
        <span aria-hidden>A</span>
        <input
          type="range"
          min={0}
          max={100}
          step={1}
          value={Math.round(amount)}
          onChange={(e) => onAmount(Number(e.target.value))}
          aria-label="Fade amount"
          aria-valuetext={`${Math.round(amount)}% B`}
          className="w-full accent-[var(--accent)]"
        />
        <span aria-hidden>B</span>
        <span className="w-10 text-right font-mono tabular-nums">{Math.round(amount)}%</span>
      </div>
    </div>
  );
}
