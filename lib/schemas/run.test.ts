import { describe, expect, it } from 'vitest';
import { submitRunSchema } from './run';

const valid = {
  sessionId: 's1',
  instruction: ' remove the background ',
  referenceIds: ['a', 'b'],
  targets: ['offline:engine-v1'],
  count: 2,
  seed: 42,
};

describe('submitRunSchema', () => {
  it('accepts a minimal run and fills defaults', () => {
    const r = submitRunSchema.parse(valid);
    expect(r.instruction).toBe('remove the background');
    expect(r).toMatchObject({ size: 'auto', format: 'png', negativePrompt: '' });
  });

  it.each([
    [{ instruction: '   ' }, 'Write an instruction.'],
    [{ referenceIds: [] }, 'Add at least one reference image.'],
    [{ referenceIds: ['1', '2', '3', '4', '5'] }, 'At most 4 reference images.'],
    [{ targets: [] }, 'Pick at least one target.'],
    [{ targets: ['x', 'x'] }, 'A target is listed twice.'],
    [{ size: '1024 by 768' }, 'Size must be "auto" or WIDTHxHEIGHT.'],
  ])('refuses %j with a clear message', (patch, message) => {
    const r = submitRunSchema.safeParse({ ...valid, ...patch });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(message);
  });

  it('bounds count, seed, strength and guidance', () => {
    for (const patch of [{ count: 0 }, { count: 5 }, { seed: -1 }, { seed: 2 ** 31 }, { strength: 1.5 }, { guidance: -1 }, { seed: 1.5 }]) {
      expect(submitRunSchema.safeParse({ ...valid, ...patch }).success).toBe(false);
    }
  });
});
