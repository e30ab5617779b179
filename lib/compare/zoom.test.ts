import { describe, expect, it } from 'vitest';
import { IDENTITY, MAX_SCALE, MIN_SCALE, needsOriginal, panBy, wheelFactor, zoomAt, zoomPercent } from './zoom';

/** Where a viewport point lands in content coordinates under a transform. */
const toContent = (t: { scale: number; x: number; y: number }, p: { x: number; y: number }) => ({
  x: (p.x - t.x) / t.scale,
  y: (p.y - t.y) / t.scale,
});

describe('zoomAt', () => {
  it('keeps the content under the cursor in place', () => {
    const cursor = { x: 120, y: 80 };
    const before = panBy(zoomAt(IDENTITY, { x: 10, y: 10 }, 1.7), 33, -12);
    const after = zoomAt(before, cursor, 2.5);
    expect(after.scale).toBeCloseTo(before.scale * 2.5);
    const a = toContent(before, cursor);
    const b = toContent(after, cursor);
    expect(b.x).toBeCloseTo(a.x);
    expect(b.y).toBeCloseTo(a.y);
  });

  it('clamps the scale', () => {
    expect(zoomAt(IDENTITY, { x: 0, y: 0 }, 1000).scale).toBe(MAX_SCALE);
    expect(zoomAt(IDENTITY, { x: 0, y: 0 }, 0.0001).scale).toBe(MIN_SCALE);
    const top = { scale: MAX_SCALE, x: 5, y: 5 };
    expect(zoomAt(top, { x: 50, y: 50 }, 2)).toBe(top);
  });

  it('reports the percentage of the fitted size', () => {
    expect(zoomPercent(zoomAt(IDENTITY, { x: 0, y: 0 }, 1.5))).toBe(150);
  });
});

describe('wheelFactor', () => {
  it('zooms in on wheel up, out on wheel down, and pinches more sensitively', () => {
    expect(wheelFactor({ deltaY: -100, deltaMode: 0, ctrlKey: false })).toBeGreaterThan(1);
    expect(wheelFactor({ deltaY: 100, deltaMode: 0, ctrlKey: false })).toBeLessThan(1);
    const pinch = wheelFactor({ deltaY: -10, deltaMode: 0, ctrlKey: true });
    const wheel = wheelFactor({ deltaY: -10, deltaMode: 0, ctrlKey: false });
    expect(pinch).toBeGreaterThan(wheel);
    expect(wheelFactor({ deltaY: -3, deltaMode: 1, ctrlKey: false })).toBeCloseTo(
      wheelFactor({ deltaY: -48, deltaMode: 0, ctrlKey: false }),
    );
  });
});

describe('needsOriginal', () => {
  it('loads the original only when the preview is magnified and the original is larger', () => {
    expect(needsOriginal(IDENTITY, 900, 2048)).toBe(false);
    expect(needsOriginal({ scale: 2, x: 0, y: 0 }, 900, 2048)).toBe(true);
    expect(needsOriginal({ scale: 4, x: 0, y: 0 }, 900, 1024)).toBe(false);
  });
});
