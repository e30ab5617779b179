'use client';

import type { CompareCandidate } from '@/lib/schemas/compare';
import type { ZoomPan } from './use-zoom-pan';
import { PaneLabel, ZoomImage, ZoomLayer, ZoomViewport } from './zoom-viewport';

/** Two panes sharing one zoom/pan transform, so the same detail stays under the eye in both. */
export function SideBySideView({ zoom, a, b }: { zoom: ZoomPan; a: CompareCandidate; b: CompareCandidate }) {
  return (
    <div className="grid h-full min-h-0 grid-cols-2 gap-3">
      {(
        [
          ['A', a],
          ['B', b],
        ] as const
      ).map(([side, item]) => (
        <div key={side} className="flex min-h-0 flex-col">
          <ZoomViewport zoom={zoom} label={`Pane ${side}`}>
            <ZoomLayer zoom={zoom}>
              <ZoomImage zoom={zoom} item={item} alt={`${side}: ${item.label}`} />
            </ZoomLayer>
            <PaneLabel side={side} item={item} className="left-2" />
          </ZoomViewport>
        </div>
      ))}
    </div>
  );
}
