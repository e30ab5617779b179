import { describe, expect, it } from 'vitest';
import type { CompareCandidate } from '@/lib/schemas/compare';
import { describeCandidate, differingFacts, differsBySummary, MISSING_VALUE } from './differences';

const asset = { id: 'a', sha256: 'f'.repeat(64), mime: 'image/png', width: 1024, height: 1024 };

function variation(key: string, facts: Partial<CompareCandidate['facts']> = {}): CompareCandidate {
  return {
    key,
    label: `Variation ${key}`,
    kind: 'variation',
    asset,
    variationId: key,
    facts: {
      provider: 'fal',
      model: 'flux-kontext',
      seed: 7,
      instruction: 'put the bottle on a white marble surface',
      negativePrompt: '',
      params: { size: 'auto', format: 'png', count: 2, seed: 7 },
      runId: `run-${key}`,
      ...facts,
    },
  };
}

function reference(key: string): CompareCandidate {
  return { key, label: `Reference ${key}`, kind: 'reference', asset, facts: {} };
}

const factsOf = (d: ReturnType<typeof differingFacts>, key: string) =>
  Object.fromEntries((d.labels[key] ?? []).map((l) => [l.fact, l.value]));

describe('differingFacts', () => {
  it('labels provider and seed when only they differ', () => {
    const d = differingFacts([variation('1'), variation('2', { provider: 'replicate', seed: 8 }), variation('3', { seed: 9 })]);
    expect(d.keys).toEqual(['provider', 'seed']);
    expect(factsOf(d, '1')).toEqual({ provider: 'fal', seed: '7' });
    expect(factsOf(d, '2')).toEqual({ provider: 'replicate', seed: '8' });
    expect(factsOf(d, '3')).toEqual({ provider: 'fal', seed: '9' });
    expect(differsBySummary([variation('1'), variation('2')], d.keys)).toBe('Differs by: provider, seed');
  });

  it('shows a word-level snippet of what differs in the instruction', () => {
    const d = differingFacts([
      variation('1', { instruction: 'put the bottle on a white marble surface with soft light' }),
      variation('2', { instruction: 'put the bottle on a dark marble surface with soft light' }),
    ]);
    expect(d.keys).toEqual(['instruction']);
    expect(factsOf(d, '1').instruction).toBe('…bottle on a **white** marble surface with…');
    expect(factsOf(d, '2').instruction).toBe('…bottle on a **dark** marble surface with…');
  });

  it('marks where words were added in another instruction', () => {
    const d = differingFacts([
      variation('1', { instruction: 'a bottle on a table' }),
      variation('2', { instruction: 'a bottle on a dark oak table' }),
    ]);
    expect(factsOf(d, '2').instruction).toBe('…bottle on a **dark oak** table');
    expect(factsOf(d, '1').instruction).toBe('…bottle on a **—** table');
  });

  it('ignores whitespace-only changes in text and treats blank as missing', () => {
    const d = differingFacts([
      variation('1', { instruction: 'a  bottle\non a table ', negativePrompt: '   ' }),
      variation('2', { instruction: 'a bottle on a table', negativePrompt: undefined }),
    ]);
    expect(d.keys).toEqual([]);
  });

  it('diffs every param key and skips the shadowed run seed', () => {
    const d = differingFacts([
      variation('1', { params: { size: '1024x1024', strength: 0.6, seed: 1 } }),
      variation('2', { params: { size: '1024x1024', strength: 0.8, seed: 2 } }),
      variation('3', { params: { size: '768x768', seed: 3 } }),
    ]);
    expect(d.keys).toEqual(['size', 'strength']);
    expect(factsOf(d, '1')).toEqual({ size: '1024x1024', strength: '0.6' });
    expect(factsOf(d, '3')).toEqual({ size: '768x768', strength: MISSING_VALUE });
  });

  it('returns no labels when all facts are equal', () => {
    const items = [variation('1'), variation('2', { runId: 'another-run', runNumber: 4 })];
    const d = differingFacts(items);
    expect(d.keys).toEqual([]);
    expect(d.labels).toEqual({ '1': [], '2': [] });
    expect(differsBySummary(items, d.keys)).toMatch(/^No differences/);
  });

  it('labels references as such and diffs only the variations', () => {
    const d = differingFacts([reference('ref:r1:0'), variation('1'), variation('2', { model: 'flux-pro' })]);
    expect(d.keys).toEqual(['kind', 'model']);
    expect(d.labels['ref:r1:0']).toEqual([{ fact: 'kind', value: 'reference' }]);
    expect(factsOf(d, '1')).toEqual({ model: 'flux-kontext' });
    expect(factsOf(d, '2')).toEqual({ model: 'flux-pro' });
  });

  it('counts a repeated key once', () => {
    const one = variation('1');
    const d = differingFacts([one, one, variation('2', { seed: 99 })]);
    expect(d.keys).toEqual(['seed']);
    expect(Object.keys(d.labels)).toEqual(['1', '2']);
  });

  it('describes a lone candidate by its provider, model and seed', () => {
    expect(describeCandidate(variation('1', { model: undefined }))).toEqual([
      { fact: 'provider', value: 'fal' },
      { fact: 'seed', value: '7' },
    ]);
    expect(describeCandidate(reference('r'))).toEqual([{ fact: 'kind', value: 'reference' }]);
  });
});
