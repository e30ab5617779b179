import { describe, expect, it } from 'vitest';
import { runEngine } from './index';
import { colourDiff, decode, input, meanColour, px, RED, redCircle, scene, solid } from './test-images';

describe('offline engine: several references', () => {
  it('places the subject of image 1 onto image 2', async () => {
    const subject = await redCircle(256);
    const backdrop = await scene(320, 240);
    const res = await runEngine(input('Place the subject of image 1 onto image 2', [subject, backdrop]));
    if (!res.ok) throw new Error(res.message);
    expect([res.width, res.height]).toEqual([320, 240]);
    const img = await decode(res.bytes);
    const sceneImg = await decode(backdrop.bytes);
    // Corners are image 2's pixels...
    for (const [x, y] of [
      [0, 0],
      [319, 0],
      [0, 239],
      [319, 239],
    ]) {
      expect(colourDiff(px(img, x!, y!), px(sceneImg, x!, y!))).toBeLessThanOrEqual(1);
    }
    // ...and the red subject is somewhere in the middle band (none of it was there before).
    let red = 0;
    for (let y = 0; y < 240; y += 2) for (let x = 0; x < 320; x += 2) if (colourDiff(px(img, x, y), RED) <= 6) red += 1;
    expect(red).toBeGreaterThan(200);
    expect(res.applied[0]).toMatch(/Placed the subject of image 1 onto image 2/);
  });

  it('varies size and placement with the seed', async () => {
    const images = [await redCircle(256), await scene(320, 240)];
    const a = await runEngine(input('put image 1 on image 2', images, { seed: 1 }));
    const b = await runEngine(input('put image 1 on image 2', images, { seed: 2 }));
    if (!a.ok || !b.ok) throw new Error('placement failed');
    expect(a.applied[0]).not.toEqual(b.applied[0]);
    expect(a.bytes.equals(b.bytes)).toBe(false);
  });

  it('takes the palette of image 2: the mean colour moves toward it', async () => {
    const target = await solid(64, 64, '#2060c0');
    const source = await redCircle(256);
    const res = await runEngine(input('take the palette of image 2', [source, target]));
    if (!res.ok) throw new Error(res.message);
    const before = meanColour(await decode(source.bytes));
    const after = meanColour(await decode(res.bytes));
    const goal = [0x20, 0x60, 0xc0];
    const distance = (c: number[]) => Math.hypot(...c.map((v, i) => v - (goal[i] ?? 0)));
    expect(distance(after)).toBeLessThan(distance(before) * 0.5);
    expect(after[2]).toBeGreaterThan(after[0]);
  });

  it('lays two references side by side: width is the sum', async () => {
    const res = await runEngine(input('put the images side by side', [await redCircle(200, 150), await solid(120, 150, '#00ff00')]));
    if (!res.ok) throw new Error(res.message);
    expect([res.width, res.height]).toEqual([320, 150]);
    const img = await decode(res.bytes);
    expect(colourDiff(px(img, 260, 75), [0, 255, 0])).toBeLessThanOrEqual(1);
    expect(colourDiff(px(img, 100, 75), RED)).toBeLessThanOrEqual(2);
  });

  it('arranges 3 or 4 references in a 2-column grid', async () => {
    const cells = [
      await solid(100, 80, '#ff0000'),
      await solid(100, 80, '#00ff00'),
      await solid(100, 80, '#0000ff'),
      await solid(100, 80, '#ffff00'),
    ];
    const res = await runEngine(input('make a grid', cells));
    if (!res.ok) throw new Error(res.message);
    expect([res.width, res.height]).toEqual([200, 160]);
    const img = await decode(res.bytes);
    expect(px(img, 150, 120).slice(0, 3)).toEqual([255, 255, 0]);
    expect(px(img, 50, 120).slice(0, 3)).toEqual([0, 0, 255]);
  });

  it('stacks references in a column', async () => {
    const res = await runEngine(input('stack them vertically', [await solid(100, 80, '#ff0000'), await solid(100, 50, '#00ff00')]));
    expect(res.ok && [res.width, res.height]).toEqual([100, 130]);
  });

  it.each([
    ['place the subject of image 1 onto image 2', /needs image 2/],
    ['take the palette of image 2', /needs image 2/],
    ['put the images side by side', /needs at least 2 images/],
    ['make image 3 black and white', /mentions image 3, but only 1 image was given/],
  ])('"%s" with one image is bad_input naming the rule', async (instruction, rule) => {
    const res = await runEngine(input(instruction, [await redCircle(128)]));
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.code).toBe('bad_input');
      expect(res.message).toMatch(rule);
    }
  });

  it('edits the image the instruction names', async () => {
    const res = await runEngine(input('make image 2 black and white', [await solid(64, 64, '#ff0000'), await solid(48, 48, '#00ff00')]));
    if (!res.ok) throw new Error(res.message);
    expect([res.width, res.height]).toEqual([48, 48]);
    const [r, g, b] = px(await decode(res.bytes), 10, 10);
    expect(r).toBe(g);
    expect(g).toBe(b);
  });
});
