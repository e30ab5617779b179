'use client';

import { cn } from '@/lib/cn';
import { useState, type ReactNode } from 'react';
import { containRect } from '@/lib/compare/pixel-diff';
import { needsOriginal } from '@/lib/compare/zoom';
import { assetUrl } from '@/lib/schemas/run';
import type { CompareCandidate } from '@/lib/schemas/compare';
import type { ZoomPan } from './use-zoom-pan';

/** The clipped, checkered box that receives wheel/drag; its children are usually ZoomLayers. */
export function ZoomViewport({
  zoom,
  children,
  className,
  label,
  checker = true,
}: {
  zoom: ZoomPan;
  children: ReactNode;
  className?: string;
  label: string;
  /** The checkerboard shows transparency; the difference view wants plain black instead. */
  checker?: boolean;
}) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a pan-and-zoom viewport around images, not a set of form controls, so not a <fieldset>
    <div
      ref={zoom.viewportRef}
      {...zoom.handlers}
      role="group"
      aria-label={label}
      className={cn(
        checker && 'checker',
        'relative min-h-0 flex-1 touch-none select-none overflow-hidden rounded-lg',
        zoom.panning ? 'cursor-grabbing' : 'cursor-grab',
        className,
      )}
    >
      {children}
    </div>
  );
}

/** Fills the viewport and carries the shared transform. */
export function ZoomLayer({
  zoom,
  children,
  className,
  style,
}: {
  zoom: ZoomPan;
  children: ReactNode;
  className?: string;
  style?: React.CSSProperties;
}) {
  const { scale, x, y } = zoom.transform;
  return (
    <div
      className={cn('absolute inset-0 origin-top-left', className)}
      style={{ ...style, transform: `translate(${x}px, ${y}px) scale(${scale})` }}
    >
      {children}
    </div>
  );
}

/**
 * The preview, contained in the layer. Zoomed past the preview's own pixels, the original is
 * layered on top once it has loaded, so detail sharpens without a blank flash.
 */
export function ZoomImage({ zoom, item, alt }: { zoom: ZoomPan; item: CompareCandidate; alt: string }) {
  const { width, height, sha256 } = item.asset;
  const dpr = typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;
  const fitted = containRect(width, height, zoom.size.width, zoom.size.height);
  const sharp = needsOriginal(zoom.transform, Math.max(fitted.width, fitted.height) * dpr, Math.max(width, height));
  const [loadedOriginal, setLoadedOriginal] = useState<string | null>(null);
  const img = 'absolute inset-0 size-full object-contain';
  return (
    <>
      <img src={assetUrl(sha256, 'preview')} alt={alt} className={img} draggable={false} />
      {sharp && (
        <img
          src={assetUrl(sha256, 'original')}
          alt=""
          aria-hidden
          className={cn(img, loadedOriginal === sha256 ? 'opacity-100' : 'opacity-0')}
          draggable={false}
          onLoad={() => setLoadedOriginal(sha256)}
        />
      )}
    </>
  );
}

/** "A · label  1024×1024" over a corner of a pane. */
export function PaneLabel({ side, item, className }: { side: string; item: CompareCandidate; className?: string }) {
  return (
    <span
      className={cn(
        'pointer-events-none absolute top-2 z-10 max-w-[45%] truncate rounded bg-black/60 px-1.5 py-0.5 text-[11px] text-white',
        className,
      )}
    >
      <span className="font-semibold">
        {side} · {item.label}
      </span>{' '}
      <span className="font-mono text-white/75">
        {item.asset.width}×{item.asset.height}
      </span>
    </span>
  );
}
