import { describe, expect, it } from 'vitest';
import type { CompareCandidate } from '@/lib/schemas/compare';
import { bOptions, cycleMode, pinA, resolvePair, stepB } from './selection';

const asset = { id: 'a', sha256: 'e'.repeat(64), mime: 'image/png', width: 64, height: 64 };
const item = (key: string, kind: CompareCandidate['kind'] = 'variation'): CompareCandidate => ({ key, label: key, kind, asset, facts: {} });
const candidates = ['v1', 'v2', 'v3', 'v4'].map((k) => item(k));
const references = [item('ref:r:0', 'reference'), item('ref:r:1', 'reference')];
const keys = (cs: CompareCandidate[]) => cs.map((c) => c.key);

describe('resolvePair', () => {
  it('defaults A to the first reference and B to the first candidate', () => {
    const p = resolvePair(candidates, references, undefined, undefined);
    expect([p?.a.key, p?.b.key]).toEqual(['ref:r:0', 'v1']);
  });

  it('honours valid keys and repairs stale ones', () => {
    expect(resolvePair(candidates, references, 'v2', 'v4')).toMatchObject({ a: { key: 'v2' }, b: { key: 'v4' } });
    // B cannot equal A while another candidate exists; a removed key falls back.
    expect(resolvePair(candidates, references, 'v2', 'v2')).toMatchObject({ a: { key: 'v2' }, b: { key: 'v1' } });
    expect(resolvePair(candidates, [], 'gone', 'gone')).toMatchObject({ a: { key: 'v1' }, b: { key: 'v2' } });
    expect(resolvePair([], references, undefined, undefined)).toBeNull();
  });
});

describe('stepping and pinning', () => {
  it('steps B through the candidates other than A, wrapping', () => {
    const opts = bOptions(candidates, 'v2');
    expect(keys(opts)).toEqual(['v1', 'v3', 'v4']);
    expect(stepB(opts, 'v4', 1)).toBe('v1');
    expect(stepB(opts, 'v1', -1)).toBe('v4');
    expect(stepB(opts, 'v1', 1)).toBe('v3');
    expect(keys(bOptions([item('only')], 'only'))).toEqual(['only']);
  });

  it('moves B on to the next candidate when B is pinned as A', () => {
    expect(pinA(candidates, 'v3', 'v3')).toEqual({ aKey: 'v3', bKey: 'v4' });
    expect(pinA(candidates, 'v4', 'v4')).toEqual({ aKey: 'v4', bKey: 'v1' });
    expect(pinA(candidates, 'ref:r:1', 'v2')).toEqual({ aKey: 'ref:r:1', bKey: 'v2' });
  });

  it('cycles modes both ways', () => {
    expect(cycleMode('side', 1)).toBe('slider');
    expect(cycleMode('difference', 1)).toBe('side');
    expect(cycleMode('side', -1)).toBe('difference');
  });
});
