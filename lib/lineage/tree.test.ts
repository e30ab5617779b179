import { describe, expect, it } from 'vitest';
import { lineage, run, step } from './fixtures';
import { orderOriginalsFirst } from './provenance';
import { buildLineageTree, pathToOriginals, type LineageTreeNode } from './tree';

/** A compact picture of a forest: `id(kind@variation)[children]`. */
function shape(nodes: LineageTreeNode[]): string {
  return nodes
    .map((n) => {
      const edge = n.edge ? `(${n.edge.kind}@${n.edge.fromVariationId ?? '-'})` : '';
      const kids = n.children.length ? `[${shape(n.children)}]` : '';
      return `${n.run.id}${edge}${kids}`;
    })
    .join(' ');
}

describe('buildLineageTree', () => {
  it('makes every run without a parent a root, in run order', () => {
    const dto = lineage(run({ number: 3 }), run({ number: 1 }), run({ number: 2 }));
    expect(shape(buildLineageTree(dto))).toBe('r1 r2 r3');
  });

  it('hangs a fork under the run that owns the forked variation, recording the variation', () => {
    const dto = lineage(
      run({ number: 1 }),
      run({ number: 4, parentVariationId: 'r1-v0' }),
      run({ number: 2, parentVariationId: 'r1-v1' }),
      run({ number: 3, parentVariationId: 'r2-v0' }),
    );
    expect(shape(buildLineageTree(dto))).toBe('r1[r2(fork@r1-v1)[r3(fork@r2-v0)] r4(fork@r1-v0)]');
  });

  it('links a run whose reference was produced by an earlier variation', () => {
    const dto = lineage(run({ number: 1 }), run({ number: 2, refs: [null, 'r1-v1'] }));
    expect(shape(buildLineageTree(dto))).toBe('r1[r2(reference@r1-v1)]');
  });

  it('prefers the forked-from variation over a reference produced elsewhere', () => {
    const dto = lineage(run({ number: 1 }), run({ number: 2 }), run({ number: 3, parentVariationId: 'r2-v0', refs: ['r1-v0'] }));
    expect(shape(buildLineageTree(dto))).toBe('r1 r2[r3(fork@r2-v0)]');
  });

  it('uses the lowest-position produced reference when several are', () => {
    const dto = lineage(run({ number: 1 }), run({ number: 2 }), run({ number: 3, refs: [null, 'r2-v1', 'r1-v0'] }));
    expect(shape(buildLineageTree(dto))).toBe('r1 r2[r3(reference@r2-v1)]');
  });

  it('links re-runs and tweaks to their source run with no variation', () => {
    const dto = lineage(
      run({ number: 1 }),
      run({ number: 2, sourceRunId: 'r1', sourceKind: 'rerun' }),
      run({ number: 3, sourceRunId: 'r1', sourceKind: 'tweak' }),
      run({ number: 4, sourceRunId: 'r1' }),
    );
    expect(shape(buildLineageTree(dto))).toBe('r1[r2(rerun@-) r3(tweak@-) r4(rerun@-)]');
  });

  it('makes a run whose parent was deleted a root, falling through to the next rule first', () => {
    const dto = lineage(
      run({ number: 1 }),
      run({ number: 3, parentVariationId: 'gone-v0', refs: ['gone-v0'] }),
      run({ number: 4, parentVariationId: 'gone-v0', sourceRunId: 'r1', sourceKind: 'tweak' }),
      run({ number: 5, sourceRunId: 'gone' }),
    );
    expect(shape(buildLineageTree(dto))).toBe('r1[r4(tweak@-)] r3 r5');
  });

  it('ignores a run pointing at itself', () => {
    const dto = lineage(run({ number: 1, parentVariationId: 'r1-v0', sourceRunId: 'r1' }));
    expect(shape(buildLineageTree(dto))).toBe('r1');
  });

  it('breaks a cycle by making its oldest run a root', () => {
    const dto = lineage(
      run({ number: 1, parentVariationId: 'r3-v0' }),
      run({ number: 2, parentVariationId: 'r1-v0' }),
      run({ number: 3, parentVariationId: 'r2-v0' }),
      run({ number: 4, parentVariationId: 'r3-v1' }),
    );
    expect(shape(buildLineageTree(dto))).toBe('r1[r2(fork@r1-v0)[r3(fork@r2-v0)[r4(fork@r3-v1)]]]');
  });

  it('keeps every run exactly once at ~200 runs', () => {
    const runs = [run({ number: 1 })];
    for (let n = 2; n <= 200; n++) runs.push(run({ number: n, parentVariationId: `r${Math.floor(n / 2)}-v${n % 2}` }));
    const count = (nodes: LineageTreeNode[]): number => nodes.reduce((s, n) => s + 1 + count(n.children), 0);
    const roots = buildLineageTree(lineage(...runs));
    expect(roots).toHaveLength(1);
    expect(count(roots)).toBe(200);
  });
});

describe('pathToOriginals', () => {
  const dto = lineage(
    run({ number: 1 }),
    run({ number: 2, parentVariationId: 'r1-v1' }),
    run({ number: 3, refs: [null, 'r2-v0'] }),
    run({ number: 4, sourceRunId: 'r3', sourceKind: 'tweak' }),
    run({ number: 5 }),
  );

  it('lists run ids from the root to the run that produced the variation', () => {
    expect(pathToOriginals(dto, 'r4-v1')).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(pathToOriginals(dto, 'r2-v0')).toEqual(['r1', 'r2']);
    expect(pathToOriginals(dto, 'r5-v0')).toEqual(['r5']);
  });

  it('is empty for an unknown variation', () => {
    expect(pathToOriginals(dto, 'nope')).toEqual([]);
  });

  it('terminates on cyclic data', () => {
    const cyclic = lineage(run({ number: 1, parentVariationId: 'r2-v0' }), run({ number: 2, parentVariationId: 'r1-v0' }));
    expect(pathToOriginals(cyclic, 'r1-v0')).toEqual(['r1']);
    expect(pathToOriginals(cyclic, 'r2-v1')).toEqual(['r1', 'r2']);
  });
});

describe('orderOriginalsFirst', () => {
  const [r1, r2, r3] = [run({ number: 1 }), run({ number: 2, refs: ['r1-v0'] }), run({ number: 3, refs: ['r2-v1'] })];
  const steps = [step(r1, 'r1-v0'), step(r2, 'r2-v1'), step(r3, 'r3-v0')];

  it('keeps originals-first steps and flips image-first ones', () => {
    expect(steps.map((s) => s.runNumber)).toEqual([1, 2, 3]);
    expect(orderOriginalsFirst(steps).map((s) => s.runNumber)).toEqual([1, 2, 3]);
    expect(orderOriginalsFirst([...steps].reverse()).map((s) => s.runNumber)).toEqual([1, 2, 3]);
  });
});
