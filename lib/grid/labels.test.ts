import { describe, expect, it } from 'vitest';
import { gridItem } from './fixtures';
import { cellLabel, cellStateLabel } from './labels';

describe('cell labels', () => {
  it('numbers the variation from 1 and names run, target and seed', () => {
    expect(cellLabel(gridItem('v', { index: 2, runNumber: 14, seed: 42 }), 'FLUX Kontext')).toBe(
      'Variation 3 of run 14 · FLUX Kontext · seed 42',
    );
  });

  it('adds failure, star and rating to the cell name', () => {
    const failed = gridItem('v', { status: 'failed', errorCode: 'timeout', output: null, starred: true, rating: 2 });
    expect(cellStateLabel(failed, 'T')).toBe('Variation 1 of run 1 · T · seed 1, failed (timeout), starred, rated 2 of 5');
    expect(cellStateLabel(gridItem('v'), 'T')).toBe('Variation 1 of run 1 · T · seed 1');
  });
});
