import { describe, expect, it } from 'vitest';
import type { LineageDto, LineageNodeDto, LineagePage } from '@/lib/schemas/lineage';
import { lineage, run } from './fixtures';
import { forestFromDto, forestPath, mergeLineagePages, moreChildren, moreRoots, type ForestNode, type LineageForest } from './forest';
import { countDescendants, indexTree, sliceLineage, type SliceOptions, type SliceStart } from './slice';
import { buildLineageTree } from './tree';

/**
 * r1 ─┬ r2 ── r6 ── r7        (r2 forked from r1, r6 from r2, r7 uses r6's output)
 *     ├ r3 ─┬ r8 ─┬ r10       (r3 branches twice: a second branching)
 *     │     │     └ r11
 *     │     └ r9
 *     ├ r4
 *     └ r5
 * r12 ── r13                  (a tweak)
 * r14
 */
const dto = lineage(
  run({ number: 1 }),
  run({ number: 2, parentVariationId: 'r1-v0' }),
  run({ number: 3, parentVariationId: 'r1-v1' }),
  run({ number: 4, parentVariationId: 'r1-v0' }),
  run({ number: 5, parentVariationId: 'r1-v1' }),
  run({ number: 6, parentVariationId: 'r2-v0' }),
  run({ number: 7, refs: ['r6-v1'] }),
  run({ number: 8, parentVariationId: 'r3-v0' }),
  run({ number: 9, parentVariationId: 'r3-v1' }),
  run({ number: 10, parentVariationId: 'r8-v0' }),
  run({ number: 11, parentVariationId: 'r8-v1' }),
  run({ number: 12 }),
  run({ number: 13, sourceRunId: 'r12', sourceKind: 'tweak' }),
  run({ number: 14 }),
);
const roots = buildLineageTree(dto);
const WIDE: SliceOptions = { limit: 100, wide: 3, depth: 2 };

const ids = (start: SliceStart, options: SliceOptions = WIDE) =>
  sliceLineage(roots, start, options)!.entries.map((e) => `${e.node.run.id}@${e.index}`);

/** What the server sends for a slice, built from the fixtures (the service adds the text). */
function page(data: LineageDto, start: SliceStart, options: SliceOptions): LineagePage {
  const tree = buildLineageTree(data);
  const slice = sliceLineage(tree, start, options)!;
  const descendants = countDescendants(tree);
  const nodes: LineageNodeDto[] = slice.entries.map(({ node, index }) => ({
    run: node.run,
    edge: node.edge,
    index,
    childCount: node.children.length,
    descendants: descendants.get(node.run.id) ?? 0,
  }));
  return { sessionId: data.sessionId, ...start, siblings: slice.siblings, totalRuns: data.runs.length, nodes };
}

/** `id[children]…` of what a forest holds, with `+N` for children it does not hold yet. */
function shape(nodes: ForestNode[]): string {
  return nodes
    .map((n) => {
      const missing = n.childCount - n.children.length;
      return `${n.run.id}${n.children.length ? `[${shape(n.children)}]` : ''}${missing ? `+${missing}` : ''}`;
    })
    .join(' ');
}
const forestShape = (f: LineageForest) => `${shape(f.roots)}${f.rootCount > f.roots.length ? ` ++${f.rootCount - f.roots.length}` : ''}`;

describe('sliceLineage', () => {
  it('lists the roots newest first, each followed by its runs depth first', () => {
    expect(ids({ expand: null, cursor: 0 })).toEqual([
      'r14@0',
      'r12@1',
      'r13@0',
      'r1@2',
      'r2@0',
      'r6@0',
      'r7@0',
      'r3@1',
      'r8@0',
      'r9@1',
      'r4@2',
    ]);
  });

  it('sends a few children of a branching run and leaves the rest for "show more"', () => {
    const first = ids({ expand: null, cursor: 0 });
    expect(first).not.toContain('r5@3');
    expect(ids({ expand: 'r1', cursor: 3 })).toEqual(['r5@3']);
    expect(sliceLineage(roots, { expand: 'r1', cursor: 3 }, WIDE)!.siblings).toBe(4);
  });

  it('collapses a run past the branching depth: it arrives without its children', () => {
    // r8 is two branchings down (r1, then r3): r10 and r11 wait for it to be opened.
    expect(ids({ expand: null, cursor: 0 })).not.toContain('r10@0');
    expect(ids({ expand: 'r8', cursor: 0 })).toEqual(['r10@0', 'r11@1']);
    // Depth counts from where a page starts: opening r3 shows r8's children too.
    expect(ids({ expand: 'r3', cursor: 0 })).toEqual(['r8@0', 'r10@0', 'r11@1', 'r9@1']);
  });

  it('follows a chain without counting it as depth', () => {
    const chain = lineage(
      run({ number: 1 }),
      ...Array.from({ length: 30 }, (_, i) => run({ number: i + 2, parentVariationId: `r${i + 1}-v0` })),
    );
    const tree = buildLineageTree(chain);
    expect(sliceLineage(tree, { expand: null, cursor: 0 }, { limit: 100, wide: 1, depth: 0 })!.entries).toHaveLength(31);
  });

  it('stops at the budget, so each parent holds a run of its first children', () => {
    expect(ids({ expand: null, cursor: 0 }, { ...WIDE, limit: 6 })).toEqual(['r14@0', 'r12@1', 'r13@0', 'r1@2', 'r2@0', 'r6@0']);
    expect(ids({ expand: null, cursor: 3 }, { ...WIDE, limit: 6 })).toEqual([]);
    expect(ids({ expand: 'r6', cursor: 0 }, { ...WIDE, limit: 6 })).toEqual(['r7@0']);
    expect(ids({ expand: 'r1', cursor: 1 }, { ...WIDE, limit: 2 })).toEqual(['r3@1', 'r8@0']);
  });

  it('always sends at least one run, and nothing for an unknown parent', () => {
    expect(ids({ expand: null, cursor: 0 }, { ...WIDE, limit: 0 })).toEqual(['r14@0']);
    expect(sliceLineage(roots, { expand: 'gone', cursor: 0 }, WIDE)).toBeUndefined();
    expect(sliceLineage([], { expand: null, cursor: 0 }, WIDE)).toEqual({ entries: [], siblings: 0 });
  });

  it('walks a 5,000-run chain without overflowing the stack', () => {
    const long = lineage(
      run({ number: 1 }),
      ...Array.from({ length: 4999 }, (_, i) => run({ number: i + 2, parentVariationId: `r${i + 1}-v0` })),
    );
    const tree = buildLineageTree(long);
    expect(indexTree(tree).size).toBe(5000);
    expect(countDescendants(tree).get('r1')).toBe(4999);
    expect(
      sliceLineage(tree, { expand: 'r4000', cursor: 0 }, WIDE)!
        .entries.map((e) => e.node.run.number)
        .slice(0, 3),
    ).toEqual([4001, 4002, 4003]);
  });
});

describe('mergeLineagePages', () => {
  const options: SliceOptions = { limit: 8, wide: 3, depth: 2 };

  it('places a first page as a forest that knows what it lacks', () => {
    const forest = mergeLineagePages([page(dto, { expand: null, cursor: 0 }, options)]);
    // Eight runs: r3 made the budget, its children did not.
    expect(forestShape(forest)).toBe('r14 r12[r13] r1[r2[r6[r7]] r3+2]+2');
    expect(forest.totalRuns).toBe(14);
    expect(moreRoots(forest)).toBeNull();
    const r1 = forest.roots[2]!;
    expect(moreChildren(r1)).toEqual({ expand: 'r1', cursor: 2 });
    expect(r1.descendants).toBe(10);
  });

  it('adds "show more" pages under their parents, in order, and ignores a run sent twice', () => {
    const pages = [
      page(dto, { expand: null, cursor: 0 }, options),
      page(dto, { expand: 'r1', cursor: 2 }, options),
      page(dto, { expand: 'r3', cursor: 0 }, options),
      page(dto, { expand: 'r8', cursor: 0 }, options),
    ];
    expect(forestShape(mergeLineagePages(pages))).toBe('r14 r12[r13] r1[r2[r6[r7]] r3[r8[r10 r11] r9] r4 r5]');
    expect(forestShape(mergeLineagePages([...pages, pages[1]!]))).toBe(forestShape(mergeLineagePages(pages)));
  });

  it('pages through the roots', () => {
    const small: SliceOptions = { limit: 2, wide: 3, depth: 2 };
    const first = mergeLineagePages([page(dto, { expand: null, cursor: 0 }, small)]);
    expect(forestShape(first)).toBe('r14 r12+1 ++1');
    expect(moreRoots(first)).toEqual({ expand: null, cursor: 2 });
    const both = mergeLineagePages([page(dto, { expand: null, cursor: 0 }, small), page(dto, { expand: null, cursor: 2 }, small)]);
    expect(forestShape(both)).toBe('r14 r12+1 r1[r2+1]+3');
  });

  it('drops a run whose parent it does not hold', () => {
    const orphan = page(dto, { expand: 'r8', cursor: 0 }, options);
    expect(mergeLineagePages([orphan]).roots).toEqual([]);
  });

  it('finds the path to a variation over what it holds', () => {
    const forest = mergeLineagePages([page(dto, { expand: null, cursor: 0 }, options)]);
    expect(forestPath(forest, 'r7-v1')).toEqual(['r1', 'r2', 'r6', 'r7']);
    expect(forestPath(forest, 'r10-v0')).toEqual([]);
  });
});

describe('forestFromDto', () => {
  it('holds everything, oldest root first', () => {
    const forest = forestFromDto(dto);
    expect(forestShape(forest)).toBe('r1[r2[r6[r7]] r3[r8[r10 r11] r9] r4 r5] r12[r13] r14');
    expect(forest.totalRuns).toBe(14);
    expect(forest.roots[0]!.descendants).toBe(10);
  });
});
