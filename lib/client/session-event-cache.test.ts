import { describe, expect, it } from 'vitest';
import { flattenGrid } from '@/lib/grid/cache';
import { gridItem, gridPages } from '@/lib/grid/fixtures';
import type { SessionChange } from '@/lib/schemas/events';
import type { LineageDto } from '@/lib/schemas/lineage';
import type { RunDto, VariationDto } from '@/lib/schemas/run';
import type { RunFeed } from './run-feed-cache';
import { applyToFeed, applyToGrid, applyToLineage } from './session-event-cache';

const variation = (id: string, over: Partial<VariationDto> = {}) =>
  ({ id, targetId: 't1', index: 0, starred: false, rating: null, note: '', status: 'queued', output: null, ...over }) as VariationDto;
const run = (id: string, createdAt: string, variations: VariationDto[], over: Partial<RunDto> = {}) =>
  ({ id, number: 1, instruction: 'x', createdAt, starred: false, rating: null, note: '', variations, ...over }) as RunDto;
const feed = (pages: RunDto[][], lastCursor: string | null = null): RunFeed => ({
  pages: pages.map((runs, i) => ({ runs, nextCursor: i < pages.length - 1 ? 'c' : lastCursor })),
  pageParams: pages.map(() => undefined),
});
const output = { id: 'a1', sha256: 'b'.repeat(64), mime: 'image/png', width: 8, height: 8 };
const changed = (runId: string, v: VariationDto): SessionChange => ({
  type: 'variation',
  runId,
  run: { number: 1, instruction: 'x' },
  variation: v,
});

describe('a pushed change in the run feed', () => {
  const r1 = run('r1', '2026-01-02T00:00:00.000Z', [variation('a', { starred: true }), variation('b', { index: 1 })]);
  const r0 = run('r0', '2026-01-01T00:00:00.000Z', [variation('c')]);
  const data = feed([[r1], [r0]]);

  it('replaces the engine side of a variation and keeps what the person set', () => {
    const next = applyToFeed(data, changed('r1', variation('a', { status: 'succeeded', output, starred: false })));
    const a = next.pages[0]!.runs[0]!.variations[0]!;
    expect([a.status, a.output, a.starred]).toEqual(['succeeded', output, true]);
    expect(next.pages[1]!.runs[0]).toBe(r0);
  });

  it('puts a restored variation back in its place; ignores one of a run not loaded', () => {
    const gone = applyToFeed(data, { type: 'variation-removed', runId: 'r1', variationId: 'a' });
    expect(gone.pages[0]!.runs[0]!.variations.map((v) => v.id)).toEqual(['b']);
    const back = applyToFeed(gone, changed('r1', variation('a')));
    expect(back.pages[0]!.runs[0]!.variations.map((v) => v.id)).toEqual(['a', 'b']);
    expect(applyToFeed(data, changed('elsewhere', variation('z')))).toBe(data);
    expect(applyToFeed(data, { type: 'variation-removed', runId: 'r1', variationId: 'nope' })).toBe(data);
  });

  it('adds a new run first, and a restored one where the server lists it', () => {
    const fresh = run('r2', '2026-01-03T00:00:00.000Z', [variation('d')]);
    expect(applyToFeed(data, { type: 'run', run: fresh }).pages[0]!.runs.map((r) => r.id)).toEqual(['r2', 'r1']);
    const middle = run('rm', '2026-01-01T12:00:00.000Z', []);
    expect(
      applyToFeed(data, { type: 'run', run: middle })
        .pages.flatMap((p) => p.runs)
        .map((r) => r.id),
    ).toEqual(['r1', 'rm', 'r0']);
  });

  it('leaves a run older than every loaded one to "load older" while pages remain', () => {
    const old = run('rx', '2025-01-01T00:00:00.000Z', []);
    const more = feed([[r1]], 'cursor');
    expect(applyToFeed(more, { type: 'run', run: old })).toBe(more);
    expect(applyToFeed(feed([[r1]]), { type: 'run', run: old }).pages[0]!.runs.map((r) => r.id)).toEqual(['r1', 'rx']);
    expect(applyToFeed(feed([[]]), { type: 'run', run: old }).pages[0]!.runs.map((r) => r.id)).toEqual(['rx']);
  });

  it('updates a known run from its pushed copy, keeping stars and notes, and is idempotent', () => {
    const pushed = run('r1', r1.createdAt, [variation('a', { status: 'running' }), variation('b', { index: 1, status: 'succeeded' })], {
      note: 'server',
    });
    const once = applyToFeed(data, { type: 'run', run: pushed });
    const r = once.pages[0]!.runs[0]!;
    expect(r.note).toBe('');
    expect(r.variations.map((v) => [v.id, v.status, v.starred])).toEqual([
      ['a', 'running', true],
      ['b', 'succeeded', false],
    ]);
    expect(
      applyToFeed(once, { type: 'run', run: pushed })
        .pages.flatMap((p) => p.runs)
        .map((x) => x.id),
    ).toEqual(['r1', 'r0']);
  });

  it('removes a deleted run; a session change leaves the feed to a refetch', () => {
    expect(applyToFeed(data, { type: 'run-removed', runId: 'r0' }).pages[1]!.runs).toEqual([]);
    expect(applyToFeed(data, { type: 'run-removed', runId: 'nope' })).toBe(data);
    expect(applyToFeed(data, { type: 'session' })).toBe(data);
  });
});

describe('a pushed change in the grid', () => {
  const data = gridPages([
    [gridItem('a', { runId: 'r1', runNumber: 2, status: 'running', starred: true }), gridItem('b', { runId: 'r0', runNumber: 1 })],
  ]);

  it('patches a loaded item, keeping what the person set', () => {
    const next = applyToGrid(data, {
      type: 'variation',
      runId: 'r1',
      run: { number: 2, instruction: 'make it blue' },
      variation: { ...gridItem('a'), status: 'succeeded', starred: false },
    });
    expect(flattenGrid(next).map((i) => [i.id, i.status, i.starred])).toEqual([
      ['a', 'succeeded', true],
      ['b', 'succeeded', false],
    ]);
    expect(next.pages[0]!.total).toBe(2);
  });

  it("adds a new run's variations in order and counts them; removes a deleted run's", () => {
    const fresh = run('r2', '2026-01-03T00:00:00.000Z', [{ ...gridItem('c', { status: 'queued' }) }], { number: 3 });
    const next = applyToGrid(data, { type: 'run', run: fresh });
    expect(flattenGrid(next).map((i) => [i.id, i.runId, i.runNumber])).toEqual([
      ['c', 'r2', 3],
      ['a', 'r1', 2],
      ['b', 'r0', 1],
    ]);
    expect(next.pages[0]!.total).toBe(3);
    const gone = applyToGrid(next, { type: 'run-removed', runId: 'r2' });
    expect(flattenGrid(gone).map((i) => i.id)).toEqual(['a', 'b']);
    expect(gone.pages[0]!.total).toBe(2);
    expect(flattenGrid(applyToGrid(data, { type: 'variation-removed', runId: 'r0', variationId: 'b' })).map((i) => i.id)).toEqual(['a']);
  });
});

describe('a pushed change in the lineage', () => {
  const data: LineageDto = {
    sessionId: 's',
    runs: [
      {
        id: 'r1',
        number: 1,
        instruction: 'x',
        createdAt: '2026-01-01T00:00:00.000Z',
        parentVariationId: null,
        sourceRunId: null,
        sourceKind: null,
        references: [],
        variations: [
          { id: 'a', index: 0, seed: 1, status: 'running', targetId: 't1', targetLabel: 'T1', output: null, starred: false, rating: null },
        ],
      },
    ],
  };

  it('updates status and output in place', () => {
    const next = applyToLineage(data, changed('r1', variation('a', { status: 'succeeded', output })));
    expect(next?.runs[0]?.variations[0]).toMatchObject({ status: 'succeeded', output, targetLabel: 'T1' });
  });

  it('asks for a refetch when the change is not in the tree yet (a new run, a restored variation, the session)', () => {
    expect(applyToLineage(data, changed('r1', variation('new')))).toBeNull();
    expect(applyToLineage(data, { type: 'run', run: run('r2', '2026-01-02T00:00:00.000Z', []) })).toBeNull();
    expect(applyToLineage(data, { type: 'session' })).toBeNull();
  });

  it('removes what is deleted', () => {
    expect(applyToLineage(data, { type: 'run-removed', runId: 'r1' })?.runs).toEqual([]);
    expect(applyToLineage(data, { type: 'variation-removed', runId: 'r1', variationId: 'a' })?.runs[0]?.variations).toEqual([]);
  });
});

describe('a pushed change in a paged lineage', () => {
  const lineageRun = (id: string, status: 'running' | 'succeeded' = 'running') => ({
    id,
    number: 1,
    instruction: 'x',
    createdAt: '2026-01-01T00:00:00.000Z',
    parentVariationId: null,
    sourceRunId: null,
    sourceKind: null,
    references: [],
    variations: [
      { id: `${id}-v`, index: 0, seed: 1, status, targetId: 't1', targetLabel: 'T1', output: null, starred: false, rating: null },
    ],
  });
  const paged = {
    pages: [{ sessionId: 's', nodes: [{ run: lineageRun('r1'), edge: null, index: 0, childCount: 0, descendants: 0 }] }],
    pageParams: [null],
  };

  it('updates a variation in whichever page holds its run', () => {
    const next = applyToLineage(paged, changed('r1', variation('r1-v', { status: 'succeeded', output })));
    expect(next?.pages[0]?.nodes[0]?.run.variations[0]).toMatchObject({ status: 'succeeded', output });
    expect(next?.pages[0]?.nodes[0]?.childCount).toBe(0);
  });

  it('refetches when a run leaves the tree (the counts change)', () => {
    expect(applyToLineage(paged, { type: 'run-removed', runId: 'r1' })).toBeNull();
    expect(applyToLineage(paged, { type: 'run-removed', runId: 'elsewhere' })).toBe(paged);
  });
});
