import { describe, expect, it } from 'vitest';
import { containRect, diffCanvasSize, diffPixels, DIFF_GAIN, DIFF_NOISE_FLOOR } from './pixel-diff';

const px = (...rgba: number[]) => new Uint8ClampedArray(rgba);

describe('diffPixels', () => {
  it('is dark where equal and bright, tinted and amplified where different', () => {
    const a = px(0, 0, 0, 255, 10, 10, 10, 255);
    const b = px(0, 0, 0, 255, 30, 30, 30, 255);
    const out = new Uint8ClampedArray(8);
    const stats = diffPixels(a, b, out);
    expect([...out.slice(0, 4)]).toEqual([0, 0, 0, 255]);
    // A 20-level change boosted ×4 = 80 in the red channel (plus a little of A's luminance).
    expect(out[4]).toBe(Math.round(10 * 0.18 + 20 * DIFF_GAIN));
    expect(out[4]!).toBeGreaterThan(out[5]!);
    expect(stats).toEqual({ changedRatio: 0.5, maxDelta: 20 });
  });

  it('saturates instead of wrapping and ignores noise below the floor', () => {
    const out = new Uint8ClampedArray(8);
    const stats = diffPixels(px(0, 0, 0, 255, 100, 100, 100, 255), px(255, 255, 255, 255, 100 + DIFF_NOISE_FLOOR, 100, 100, 255), out);
    expect(out[0]).toBe(255);
    expect(stats.changedRatio).toBe(0.5);
  });

  it('treats transparent pixels as equal whatever their colour, and alpha changes as changes', () => {
    const out = new Uint8ClampedArray(8);
    const stats = diffPixels(px(255, 0, 0, 0, 50, 50, 50, 255), px(0, 255, 0, 0, 50, 50, 50, 55), out);
    expect(out[0]).toBe(0);
    expect(stats.maxDelta).toBe(200);
    expect(stats.changedRatio).toBe(0.5);
  });

  it('refuses buffers of different lengths', () => {
    expect(() => diffPixels(px(0, 0, 0, 0), px(0, 0, 0, 0, 0, 0, 0, 0), new Uint8ClampedArray(4))).toThrow(RangeError);
  });
});

describe('canvas geometry', () => {
  it('caps the long side and keeps the aspect', () => {
    expect(diffCanvasSize(4000, 2000)).toEqual({ width: 2048, height: 1024 });
    expect(diffCanvasSize(800, 600)).toEqual({ width: 800, height: 600 });
  });

  it('letterboxes a different aspect ratio into the box, centred', () => {
    expect(containRect(100, 50, 200, 200)).toEqual({ x: 0, y: 50, width: 200, height: 100 });
    expect(containRect(50, 100, 200, 100)).toEqual({ x: 75, y: 0, width: 50, height: 100 });
  });
});
