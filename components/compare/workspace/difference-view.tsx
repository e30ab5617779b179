'use client';

import { DIFF_GAIN } from '@/lib/compare/pixel-diff';
import type { CompareCandidate } from '@/lib/schemas/compare';
import { useDifferenceImage } from './use-difference-image';
import type { ZoomPan } from './use-zoom-pan';
import { PaneLabel, ZoomLayer, ZoomViewport } from './zoom-viewport';

/** |A − B| amplified and tinted: unchanged areas go dark, changes glow. Zooms with the rest. */
export function DifferenceView({ zoom, a, b }: { zoom: ZoomPan; a: CompareCandidate; b: CompareCandidate }) {
  const diff = useDifferenceImage(a.asset, b.asset);
  return (
    <div className="flex h-full min-h-0 flex-col">
      <ZoomViewport zoom={zoom} label="Difference comparison" checker={false} className="bg-black">
        {diff.status === 'ready' && (
          <ZoomLayer zoom={zoom}>
            <img src={diff.url} alt="Difference of A and B" className="absolute inset-0 size-full object-contain" draggable={false} />
          </ZoomLayer>
        )}
        {diff.status !== 'ready' && (
          <p
            role={diff.status === 'error' ? 'alert' : 'status'}
            className="absolute inset-0 flex items-center justify-center text-sm text-white/70"
          >
            {diff.status === 'error' ? diff.message : 'Computing difference…'}
          </p>
        )}
        <PaneLabel side="A" item={a} className="left-2" />
        <PaneLabel side="B" item={b} className="right-2" />
      </ZoomViewport>
      <p className="mt-3 text-xs text-muted" aria-live="polite">
        {diff.status === 'ready'
          ? diff.stats.changedRatio === 0
            ? 'No visible difference between the previews.'
            : `${formatShare(diff.stats.changedRatio)} of pixels differ · largest change ${diff.stats.maxDelta}/255 · shown ×${DIFF_GAIN}, brighter = more different`
          : '\u00a0'}
      </p>
    </div>
  );
}

function formatShare(ratio: number): string {
  const pct = ratio * 100;
  return pct < 0.1 ? '<0.1%' : `${pct < 10 ? pct.toFixed(1) : Math.round(pct)}%`;
}
