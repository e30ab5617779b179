import { describe, expect, it } from 'vitest';
import { ENGINE_VOCABULARY, runEngine } from './index';
import { changedShare, colourDiff, decode, input, meanAbsDiff, px, RED, redCircle, scene } from './test-images';

describe('offline engine: contract', () => {
  it('same input and seed give byte-identical output', async () => {
    const image = await redCircle(256);
    for (const instruction of ['white studio with a soft shadow', 'gradient background and warmer', 'tilt it, blur']) {
      const a = await runEngine(input(instruction, [image], { seed: 1234 }));
      const b = await runEngine(input(instruction, [image], { seed: 1234 }));
      if (!a.ok || !b.ok) throw new Error(`${instruction} failed`);
      expect(a.bytes.equals(b.bytes)).toBe(true);
      expect(a.applied).toEqual(b.applied);
    }
  });

  it.each([
    ['replace the background with navy', 0.5],
    ['white studio', 0.03],
    ['gradient background', 0.5],
  ])('different seeds visibly vary "%s"', async (instruction, minShare) => {
    const image = await redCircle(256);
    const a = await runEngine(input(instruction, [image], { seed: 1 }));
    const b = await runEngine(input(instruction, [image], { seed: 2 }));
    if (!a.ok || !b.ok) throw new Error(`${instruction} failed`);
    expect(a.bytes.equals(b.bytes)).toBe(false);
    const [pa, pb] = [await decode(a.bytes), await decode(b.bytes)];
    // A measurable difference: enough pixels moved by 6+ levels (the shade, the shadow)...
    expect(changedShare(pa, pb, 6)).toBeGreaterThan(minShare);
    // ...while what the words fixed (the red subject) stays the same.
    expect(colourDiff(px(pa, 128, 128), RED)).toBeLessThanOrEqual(2);
    expect(colourDiff(px(pb, 128, 128), RED)).toBeLessThanOrEqual(2);
  });

  it('applies combined instructions in a sensible order', async () => {
    const res = await runEngine(input('Remove the background and make it black and white', [await redCircle(256)]));
    if (!res.ok) throw new Error(res.message);
    const img = await decode(res.bytes);
    expect(px(img, 2, 2)[3]).toBe(0);
    const [r, g, b, a] = px(img, 128, 128);
    expect(a).toBe(255);
    expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThanOrEqual(1);
    expect(res.applied).toEqual(['Converted to black and white', 'Removed background (transparent)']);
  });

  it('keeps a named background colour exact when the subject is toned', async () => {
    const res = await runEngine(input('replace the background with #102030 and make it sepia', [await redCircle(256)]));
    if (!res.ok) throw new Error(res.message);
    const img = await decode(res.bytes);
    expect(px(img, 3, 3).slice(0, 3)).toEqual([0x10, 0x20, 0x30]);
    const [r, g, b] = px(img, 128, 128);
    expect(r).toBeGreaterThan(g);
    expect(g).toBeGreaterThan(b);
  });

  it('fails an instruction it does not understand with bad_input listing its vocabulary', async () => {
    const res = await runEngine(input('add a dragon breathing fire', [await redCircle(128)]));
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.code).toBe('bad_input');
    expect(res.message).toMatch(/offline/);
    expect(res.message).toMatch(/non-generative/);
    for (const { phrase } of ENGINE_VOCABULARY.slice(0, 5)) expect(res.message).toContain(phrase);
  });

  it('reports what it ignored when part of an instruction is understood', async () => {
    const res = await runEngine(input('make it warmer and add a dragon', [await redCircle(128)]));
    if (!res.ok) throw new Error(res.message);
    expect(res.notes.join(' ')).toMatch(/Not understood, ignored: "add a dragon"/);
  });

  it('refuses to report success when nothing changed', async () => {
    const res = await runEngine(input('crop it square', [await redCircle(128)]));
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.message).toMatch(/Nothing changed/);
  });

  it('rejects a negated-only instruction, an empty one and an undecodable image', async () => {
    const image = await redCircle(128);
    const negated = await runEngine(input("don't blur it", [image]));
    expect(!negated.ok && negated.message).toMatch(/negated/);
    const empty = await runEngine(input('   ', [image]));
    expect(empty.ok).toBe(false);
    const broken = await runEngine(input('sepia', [{ bytes: Buffer.from('not an image'), width: 1, height: 1 }]));
    expect(!broken.ok && broken.message).toMatch(/Image 1 could not be decoded/);
  });

  it('every vocabulary example is a real edit: success, and never the input unchanged', async () => {
    const images = [await redCircle(192), await scene(240, 180)];
    const first = await decode(images[0]!.bytes);
    for (const { example } of ENGINE_VOCABULARY) {
      const res = await runEngine(input(example, images, { seed: 3 }));
      if (!res.ok) throw new Error(`"${example}" failed: ${res.message}`);
      expect(res.applied.length, example).toBeGreaterThan(0);
      const out = await decode(res.bytes);
      expect(meanAbsDiff(out, first), example).toBeGreaterThan(0);
    }
  });

  it('exposes a vocabulary with phrases and examples', () => {
    expect(ENGINE_VOCABULARY.length).toBeGreaterThanOrEqual(15);
    for (const entry of ENGINE_VOCABULARY) {
      expect(entry.phrase.length).toBeGreaterThan(3);
      expect(entry.example.length).toBeGreaterThan(3);
    }
  });
});
