/** Zoom and pan maths shared by every compare pane. Pure, so it is unit-tested. */

/**
 * `scale` is relative to the fitted image (1 = fit); `x`/`y` translate in CSS pixels. Applied as
 * `translate(x, y) scale(scale)` with the transform origin at the viewport's top-left.
 */
export type ZoomTransform = { scale: number; x: number; y: number };
export type Point = { x: number; y: number };

export const IDENTITY: ZoomTransform = { scale: 1, x: 0, y: 0 };
export const MIN_SCALE = 0.25;
export const MAX_SCALE = 32;
/** One keyboard or button step. */
export const ZOOM_STEP = 1.25;
/** Long side of the `preview` rendition (lib/server/images/prepare.ts renders 1280 px). */
const PREVIEW_LONG_SIDE = 1280;

/** Zooms by `factor` keeping the content under `point` (viewport coordinates) in place. */
export function zoomAt(t: ZoomTransform, point: Point, factor: number): ZoomTransform {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, t.scale * factor));
  const k = scale / t.scale;
  if (k === 1) return t;
  return { scale, x: point.x - (point.x - t.x) * k, y: point.y - (point.y - t.y) * k };
}

export function panBy(t: ZoomTransform, dx: number, dy: number): ZoomTransform {
  return { ...t, x: t.x + dx, y: t.y + dy };
}

/**
 * Wheel delta → zoom factor. Trackpad pinches arrive as wheel events with `ctrlKey` and small
 * deltas, so they get a higher sensitivity; line-mode deltas (Firefox mice) are ~16 px per line.
 */
export function wheelFactor(e: { deltaY: number; deltaMode: number; ctrlKey: boolean }): number {
  const pixels = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaMode === 2 ? e.deltaY * 400 : e.deltaY;
  const sensitivity = e.ctrlKey ? 0.01 : 0.0015;
  // Clamp so a single huge flick cannot jump from fit to the maximum.
  return Math.exp(-Math.max(-300, Math.min(300, pixels)) * sensitivity);
}

export function zoomPercent(t: ZoomTransform): number {
  return Math.round(t.scale * 100);
}

/**
 * Whether the preview is being magnified past its own pixels, so the original is worth loading.
 * `fittedLongSide` is the on-screen long side at scale 1, in device pixels.
 */
export function needsOriginal(t: ZoomTransform, fittedLongSide: number, assetLongSide: number): boolean {
  const shown = fittedLongSide * t.scale;
  return assetLongSide > PREVIEW_LONG_SIDE && shown > Math.min(PREVIEW_LONG_SIDE, assetLongSide) * 1.1;
}
