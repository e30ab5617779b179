import { describe, expect, it } from 'vitest';
import { alignWords, plainSnippet, tokenize, wordDiffSnippets } from './word-diff';

describe('alignWords', () => {
  it('matches the longest common subsequence and finds insertions on the other side', () => {
    const { matched, gapBefore } = alignWords(tokenize('a red cat sits'), tokenize('a big red dog sits'));
    expect(matched).toEqual([true, true, false, true]);
    // "big" is inserted before "red" in b; "dog" replaces "cat" so it is not a pure gap.
    expect(gapBefore).toEqual([false, true, false, false, false]);
  });
});

describe('wordDiffSnippets', () => {
  it('bolds each differing run with context and elides the rest', () => {
    const base = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen';
    const [a, b] = wordDiffSnippets([base, base.replace('seven', 'SEVEN')]);
    expect(a).toBe('…four five six **seven** eight nine ten…');
    expect(b).toBe('…four five six **SEVEN** eight nine ten…');
  });

  it('joins separate regions with an ellipsis', () => {
    const base = 'w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16';
    const [, b] = wordDiffSnippets([base, base.replace('w2 ', 'X ').replace('w14', 'Y')]);
    expect(b).toBe('w1 **X** w3 w4 w5 … w11 w12 w13 **Y** w15 w16');
  });

  it('caps a completely different long text', () => {
    const long = Array.from({ length: 40 }, (_, i) => `a${i}`).join(' ');
    const other = Array.from({ length: 40 }, (_, i) => `b${i}`).join(' ');
    const [a] = wordDiffSnippets([long, other]);
    expect(plainSnippet(a!).replace('…', '').split(' ')).toHaveLength(18);
    expect(a!.endsWith('…')).toBe(true);
    expect(a!.startsWith('**a0')).toBe(true);
  });

  it('compares against every other distinct text', () => {
    const [a, b, c] = wordDiffSnippets(['a cat on a mat', 'a dog on a mat', 'a cat on a rug']);
    expect(a).toBe('a **cat** on a **mat**');
    expect(b).toBe('a **dog** on a **mat**');
    expect(c).toBe('a **cat** on a **rug**');
  });

  it('shows an empty text as a gap', () => {
    expect(wordDiffSnippets(['', 'blurry'])).toEqual(['**—**', '**blurry**']);
  });
});
