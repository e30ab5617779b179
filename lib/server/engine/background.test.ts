import { describe, expect, it } from 'vitest';
import { runEngine } from './index';
import { busy, colourDiff, decode, input, noisyCircle, px, RED, redCircle, solid, variance } from './test-images';

const S = 384;
const C = S / 2;

async function ok(instruction: string, extra: Parameters<typeof input>[2] = {}, size = S) {
  const res = await runEngine(input(instruction, [await redCircle(size)], extra));
  if (!res.ok) throw new Error(res.message);
  return { res, img: await decode(res.bytes) };
}

describe('offline engine: backgrounds', () => {
  it('removes the background: transparent corners, opaque unchanged centre', async () => {
    const { res, img } = await ok('Remove the background');
    expect(res.mime).toBe('image/png');
    for (const [x, y] of [
      [0, 0],
      [S - 1, 0],
      [0, S - 1],
      [S - 1, S - 1],
      [C, 5],
    ]) {
      expect(px(img, x!, y!)[3]).toBe(0);
    }
    const centre = px(img, C, C);
    expect(centre[3]).toBe(255);
    expect(colourDiff(centre, RED)).toBeLessThanOrEqual(2);
    // The edge is feathered: somewhere along a ray out of the disc, alpha is strictly between.
    const ray = Array.from({ length: 20 }, (_v, k) => px(img, C + 100 + k * 0.5, C)[3]);
    expect(ray.some((a) => a > 0 && a < 255)).toBe(true);
    expect(res.applied.join(' ')).toMatch(/Removed background/);
  });

  it('replaces the background with a named colour (navy), subject untouched', async () => {
    const { res, img } = await ok('replace the BG with navy');
    expect(colourDiff(px(img, 2, 2), [0, 0, 128, 255])).toBeLessThanOrEqual(14);
    expect(colourDiff(px(img, S - 3, S - 3), [0, 0, 128, 255])).toBeLessThanOrEqual(14);
    expect(colourDiff(px(img, C, C), RED)).toBeLessThanOrEqual(2);
    expect(px(img, 2, 2)[3]).toBe(255);
    expect(res.applied.join(' ')).toMatch(/Replaced background with #[0-9a-f]{6} \(navy\)/);
  });

  it('uses a hex colour exactly, whatever the seed', async () => {
    for (const seed of [1, 2, 99]) {
      const { img } = await ok('make the backdrop #1e3a8a', { seed });
      expect(px(img, 3, 3).slice(0, 3)).toEqual([0x1e, 0x3a, 0x8a]);
    }
  });

  it('paints a gradient between the two named colours', async () => {
    const { img, res } = await ok('put it on a vertical gradient from navy to teal');
    const top = px(img, C, 1);
    const bottom = px(img, C, S - 2);
    expect(colourDiff(top, [0, 0, 128])).toBeLessThanOrEqual(16);
    expect(colourDiff(bottom, [0, 128, 128])).toBeLessThanOrEqual(16);
    expect(bottom[1]).toBeGreaterThan(top[1] + 80);
    expect(colourDiff(px(img, C, C), RED)).toBeLessThanOrEqual(2);
    expect(res.applied.join(' ')).toMatch(/gradient from .*navy.* to .*teal/);
  });

  it('builds a white studio backdrop with a soft shadow under the subject', async () => {
    const { img, res } = await ok('white studio');
    const corner = px(img, 4, 4);
    expect(Math.min(corner[0], corner[1], corner[2])).toBeGreaterThan(215);
    expect(colourDiff(corner, [corner[0], corner[0], corner[0]])).toBeLessThanOrEqual(3); // neutral
    // Just below the disc, the shadow darkens the backdrop compared with the same height off to the side.
    const bottom = C + Math.round(S * 0.28);
    const under = px(img, C, bottom + 3);
    const aside = px(img, 8, bottom + 3);
    expect(aside[0] - under[0]).toBeGreaterThan(12);
    expect(res.applied.join(' ')).toMatch(/shadow/);
  });

  it('drops the shadow when told "no shadow" or when the negative prompt says shadow', async () => {
    const bottom = C + Math.round(S * 0.28);
    const withShadow = (await ok('white studio', { seed: 5 })).img;
    for (const run of [ok('white studio, no shadow', { seed: 5 }), ok('white studio', { seed: 5, negativePrompt: 'shadow, clutter' })]) {
      const { img, res } = await run;
      // Same seed, same backdrop: identical far from the subject...
      expect(px(img, 4, 4)).toEqual(px(withShadow, 4, 4));
      // ...but nothing darkens the floor under the subject.
      expect(px(img, C, bottom + 3)[0]).toBeGreaterThan(px(withShadow, C, bottom + 3)[0] + 10);
      expect(res.applied.join(' ')).not.toMatch(/shadow/);
    }
  });

  it('blurs only the background, keeping the subject sharp', async () => {
    const source = await noisyCircle(256);
    const res = await runEngine(input('blur the background', [source]));
    if (!res.ok) throw new Error(res.message);
    const [before, after] = [await decode(source.bytes), await decode(res.bytes)];
    // Backdrop texture smoothed out...
    expect(variance(after, 4, 4, 40)).toBeLessThan(variance(before, 4, 4, 40) / 4);
    // ...while the disc keeps its colour up to just inside its edge (radius 71.7 px).
    expect(colourDiff(px(after, 128, 128), RED)).toBeLessThanOrEqual(2);
    expect(colourDiff(px(after, 128 + 66, 128), RED)).toBeLessThanOrEqual(6);
  });

  it('flattens a transparent result onto white for JPEG, and says so', async () => {
    const res = await runEngine(input('remove the background', [await redCircle(S)], { outputFormat: 'jpeg' }));
    if (!res.ok) throw new Error(res.message);
    expect(res.mime).toBe('image/jpeg');
    expect(res.bytes.subarray(0, 2).toString('hex')).toBe('ffd8');
    const img = await decode(res.bytes);
    expect(colourDiff(px(img, 3, 3), [255, 255, 255])).toBeLessThanOrEqual(3);
    expect(colourDiff(px(img, C, C), RED)).toBeLessThanOrEqual(12);
    expect(res.notes.join(' ')).toMatch(/JPEG has no transparency: flattened onto white/);
  });

  it('refuses to cut out a subject from a busy picture rather than guessing', async () => {
    const res = await runEngine(input('remove the background', [await busy()]));
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.code).toBe('bad_input');
      expect(res.message).toMatch(/backdrop|subject/i);
    }
  });

  it('refuses a plain image that has no subject', async () => {
    const res = await runEngine(input('replace the background with red', [await solid(200, 200, '#dddddd')]));
    expect(res.ok).toBe(false);
  });
});
