import { describe, expect, it } from 'vitest';
import type { RunDto, VariationDto } from '@/lib/schemas/run';
import { patchFeed, removeFromFeed, type RunFeed } from './run-feed-cache';

const variation = (id: string, over: Partial<VariationDto> = {}) =>
  ({ id, starred: false, rating: null, note: '', status: 'succeeded', ...over }) as VariationDto;
const run = (id: string, variations: VariationDto[]) => ({ id, starred: false, rating: null, note: '', variations }) as unknown as RunDto;
const feed = (...pages: RunDto[][]): RunFeed => ({
  pages: pages.map((runs) => ({ runs, nextCursor: null })),
  pageParams: pages.map(() => undefined),
});

describe('run feed cache edits', () => {
  const data = feed([run('r1', [variation('a'), variation('b')])], [run('r2', [variation('c')])]);

  it('set fields on one variation, leaving other pages as they were', () => {
    const next = patchFeed({ kind: 'variation', id: 'b' }, { starred: true, rating: 4 })(data);
    expect(next.pages[0]!.runs[0]!.variations.map((v) => [v.id, v.starred, v.rating])).toEqual([
      ['a', false, null],
      ['b', true, 4],
    ]);
    expect(next.pages[1]!.runs[0]).toBe(data.pages[1]!.runs[0]);
    expect(data.pages[0]!.runs[0]!.variations[1]!.starred).toBe(false);
  });

  it('set fields on a run, not on its variations', () => {
    const next = patchFeed({ kind: 'run', id: 'r2' }, { note: 'keep' })(data);
    expect(next.pages[1]!.runs[0]!.note).toBe('keep');
    expect(next.pages[1]!.runs[0]!.variations[0]!.note).toBe('');
  });

  it('remove a variation or a whole run', () => {
    expect(removeFromFeed({ kind: 'variation', id: 'a' })(data).pages[0]!.runs[0]!.variations.map((v) => v.id)).toEqual(['b']);
    expect(removeFromFeed({ kind: 'run', id: 'r1' })(data).pages[0]!.runs).toEqual([]);
  });
});
