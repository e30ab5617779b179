import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineImage } from './index';
import { runEngine } from './index';
import { colourDiff, decode, input, MARKER, meanColour, px, RED, redCircle, type Pixels } from './test-images';

const S = 320;
let source: EngineImage;
let original: Pixels;

beforeAll(async () => {
  source = await redCircle(S);
  original = await decode(source.bytes);
});

async function run(instruction: string, image?: EngineImage, seed = 1) {
  const res = await runEngine(input(instruction, [image ?? source], { seed }));
  if (!res.ok) throw new Error(res.message);
  return { res, img: await decode(res.bytes) };
}

/** Mean chroma (max - min channel) over the picture. */
function chroma(img: Pixels): number {
  let sum = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    const r = img.data[i] ?? 0,
      g = img.data[i + 1] ?? 0,
      b = img.data[i + 2] ?? 0;
    sum += Math.max(r, g, b) - Math.min(r, g, b);
  }
  return sum / (img.data.length / 4);
}

function lumaStd(img: Pixels): number {
  const values: number[] = [];
  for (let i = 0; i < img.data.length; i += 4)
    values.push(0.2126 * (img.data[i] ?? 0) + 0.7152 * (img.data[i + 1] ?? 0) + 0.0722 * (img.data[i + 2] ?? 0));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
}

describe('offline engine: colour and tone', () => {
  it.each(['make it black and white', 'B&W', 'Monochrome', 'greyscale', 'convert to grayscale'])(
    '"%s" gives R = G = B',
    async (instruction) => {
      const { img, res } = await run(instruction);
      for (const [x, y] of [
        [S / 2, S / 2],
        [5, 5],
        [S * 0.13, S * 0.13],
      ]) {
        const [r, g, b] = px(img, x!, y!);
        expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThanOrEqual(1);
      }
      expect(res.applied).toContain('Converted to black and white');
    },
  );

  it('sepia gives a warm tone, R > G > B', async () => {
    const { img } = await run('sepia');
    for (const [x, y] of [
      [S / 2, S / 2],
      [5, 5],
    ]) {
      const [r, g, b] = px(img, x!, y!);
      expect(r).toBeGreaterThan(g);
      expect(g).toBeGreaterThan(b + 5);
    }
  });

  it('warmer raises red against blue; cooler does the opposite', async () => {
    const [r0, , b0] = px(original, 5, 5);
    const warm = px((await run('make it warmer')).img, 5, 5);
    const cool = px((await run('cooler please')).img, 5, 5);
    expect(warm[0] - warm[2]).toBeGreaterThan(r0 - b0 + 10);
    expect(cool[2] - cool[0]).toBeGreaterThan(b0 - r0 + 10);
  });

  it('brighter and darker move the mean the right way', async () => {
    const base = meanColour(original)[1];
    expect(meanColour((await run('brighter')).img)[1]).toBeGreaterThan(base + 5);
    expect(meanColour((await run('darker')).img)[1]).toBeLessThan(base - 5);
  });

  it('more and less contrast change the spread of luma', async () => {
    const base = lumaStd(original);
    expect(lumaStd((await run('more contrast')).img)).toBeGreaterThan(base * 1.1);
    expect(lumaStd((await run('less contrast')).img)).toBeLessThan(base * 0.9);
  });

  it('vivid and muted change saturation', async () => {
    const base = chroma(original);
    expect(chroma((await run('more vivid')).img)).toBeGreaterThan(base * 1.05);
    expect(chroma((await run('muted colours')).img)).toBeLessThan(base * 0.8);
  });

  it('blur softens the disc edge; sharpen does not', async () => {
    const r = Math.round(0.28 * S);
    const edge = (img: Pixels) => Math.abs(px(img, S / 2 + r - 2, S / 2)[1] - px(img, S / 2 + r + 1, S / 2)[1]);
    const blurred = (await run('blur')).img;
    expect(edge(blurred)).toBeLessThan(edge(original) * 0.75);
    const sharpened = (await run('sharpen')).img;
    expect(edge(sharpened)).toBeGreaterThanOrEqual(edge(original) - 2);
  });

  it('tints toward the named colour', async () => {
    const { img } = await run('tint it teal');
    const before = px(original, S / 2, S / 2);
    const after = px(img, S / 2, S / 2);
    expect(after[0]).toBeLessThan(before[0] - 40); // teal has no red
    expect(after[1]).toBeGreaterThan(before[1] + 10);
    expect(after[2]).toBeGreaterThan(before[2] + 10);
  });

  it('recolours only the subject', async () => {
    const { img } = await run('recolour the product green');
    const centre = px(img, S / 2, S / 2);
    expect(centre[1]).toBeGreaterThan(centre[0] + 40);
    expect(px(img, 3, 3)).toEqual(px(original, 3, 3));
  });
});

describe('offline engine: geometry', () => {
  const markerAt = (img: Pixels, x: number, y: number) => colourDiff(px(img, x, y), MARKER) <= 6;
  const m = S * 0.14; // inside the marker square (10%..18% of each side)

  it('flip horizontal (mirror) moves the marker to the right', async () => {
    expect(markerAt(original, m, m)).toBe(true);
    const { img } = await run('mirror it');
    expect(markerAt(img, S - 1 - m, m)).toBe(true);
    expect(markerAt(img, m, m)).toBe(false);
  });

  it('flip vertical moves the marker to the bottom', async () => {
    const { img } = await run('flip vertically');
    expect(markerAt(img, m, S - 1 - m)).toBe(true);
  });

  it('rotates 90 degrees clockwise: the top-left marker goes top-right, dimensions swap', async () => {
    const wide = await redCircle(320, 200);
    const { img, res } = await run('rotate 90 degrees', wide);
    expect([res.width, res.height]).toEqual([200, 320]);
    expect(colourDiff(px(img, 200 - 1 - 200 * 0.14, 320 * 0.14), MARKER)).toBeLessThanOrEqual(6);
  });

  it('rotates by 15 degrees on a larger canvas with backdrop-coloured corners', async () => {
    const { img, res } = await run('rotate 15 degrees');
    expect(res.width).toBeGreaterThan(S);
    expect(colourDiff(px(img, 0, 0), px(original, 0, 0))).toBeLessThanOrEqual(2);
    expect(colourDiff(px(img, res.width / 2, res.height / 2), RED)).toBeLessThanOrEqual(2);
  });

  it.each([
    ['crop to 16:9', 16 / 9],
    ['square crop', 1],
    ['portrait 4:5', 4 / 5],
    ['make it widescreen', 16 / 9],
  ])('"%s" gives that aspect ratio', async (instruction, ratio) => {
    const { res, img } = await run(instruction, await redCircle(400, 300));
    expect(Math.abs(res.width / res.height - ratio)).toBeLessThan(0.01);
    // Centred on the subject: the disc's centre is the crop's centre.
    expect(colourDiff(px(img, res.width / 2, res.height / 2), RED)).toBeLessThanOrEqual(2);
  });

  it('upscale 2x for print doubles each side', async () => {
    const { res } = await run('upscale 2x for print');
    expect([res.width, res.height]).toEqual([2 * S, 2 * S]);
    expect(res.notes.join(' ')).toMatch(/not detail/);
  });

  it('caps an upscale at 8192 px and says so', async () => {
    const strip = await redCircle(3000, 24);
    const { res } = await run('upscale 4x', strip);
    expect(res.width).toBe(8192);
    expect(res.notes.join(' ')).toMatch(/capped at 8192/);
  });

  it('fits the requested output size', async () => {
    const res = await runEngine(input('sepia', [source], { size: { width: 200, height: 100 } }));
    expect(res.ok && [res.width, res.height]).toEqual([200, 100]);
  });
});
