import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LineageView } from '@/components/lineage/lineage-view';
import { ProvenancePath } from '@/components/lineage/provenance-path';
import { lineage, run, step } from './fixtures';
import { mergeLineagePages } from './forest';
import type { LineagePage } from '@/lib/schemas/lineage';

// Server-rendered markup is enough to check names, alt texts and structure without a DOM library.
const noop = () => {};
const attrs = (html: string, name: string) => [...html.matchAll(new RegExp(`${name}="([^"]*)"`, 'g'))].map((m) => m[1]);
const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('LineageView markup', () => {
  const dto = lineage(
    run({ number: 1 }),
    run({ number: 2, parentVariationId: 'r1-v1', failed: [0] }),
    run({ number: 3, refs: ['r2-v1'] }),
    run({ number: 4, sourceRunId: 'r1', sourceKind: 'tweak' }),
  );
  const html = renderToStaticMarkup(createElement(LineageView, { dto, onFork: noop, highlightVariationId: 'r3-v0' }));

  it('names references, variations, fork buttons and provenance links', () => {
    const alts = attrs(html, 'alt');
    expect(alts).toContain('Run 1 reference 1');
    expect(alts).toContain('Variation 2 of run 1, Offline engine, seed 101');
    expect(alts).toContain('Variation 1 of run 4, Offline engine, seed 100');
    const labels = attrs(html, 'aria-label');
    expect(labels).toContain('Fork from Variation 2 of run 3');
    expect(labels).toContain('Open provenance of Variation 2 of run 3');
    expect(html).toContain('href="/v/r3-v1"');
  });

  it('shows a failed variation as a labelled tile without fork or provenance actions', () => {
    expect(attrs(html, 'aria-label')).toContain('Variation 1 of run 2, Offline engine, seed 100, failed');
    expect(html).not.toContain('Fork from Variation 1 of run 2"');
    expect(html).not.toContain('href="/v/r2-v0"');
  });

  it('labels each edge with its kind', () => {
    expect(html).toContain('<span>forked from variation 2</span>');
    expect(html).toContain('<span>uses output as reference</span>');
    expect(html).toContain('<span>tweak</span>');
    expect(count(html, '<article')).toBe(4);
  });

  it('outlines the path to the highlighted image and marks the image', () => {
    expect(count(html, 'data-on-path="true"')).toBe(3);
    expect(html).toMatch(/data-variation-id="r3-v0" aria-current="true"/);
    expect(count(html, 'aria-current="true"')).toBe(1);
  });

  it('nests the branching run and offers a collapse toggle only on runs with descendants', () => {
    expect(attrs(html, 'aria-label')).toContain('Branches from run 1');
    expect(html).toMatch(/aria-label="Runs after run 1"[^>]*aria-expanded="true"/);
    expect(html).toContain('aria-label="Runs after run 2"');
    expect(html).not.toContain('aria-label="Runs after run 3"');
  });

  it('uses targetsHref and disambiguates multi-target runs', () => {
    const multi = run({ number: 1, variations: 1 });
    const other = { ...multi.variations[0]!, id: 'r1-b0', targetId: 'b:model', targetLabel: 'Model B' };
    multi.variations.push(other);
    const out = renderToStaticMarkup(
      createElement(LineageView, { dto: lineage(multi), onFork: noop, targetsHref: (id: string) => `/gallery/${id}` }),
    );
    const labels = attrs(out, 'aria-label');
    expect(labels).toContain('Fork from Variation 1 of run 1, Offline engine');
    expect(labels).toContain('Fork from Variation 1 of run 1, Model B');
    expect(out).toContain('href="/gallery/r1-b0"');
  });

  it('renders ~200 runs in a single chain without nesting them 200 deep', () => {
    const runs = [run({ number: 1 })];
    for (let n = 2; n <= 200; n++) runs.push(run({ number: n, parentVariationId: `r${n - 1}-v0` }));
    const out = renderToStaticMarkup(createElement(LineageView, { dto: lineage(...runs), onFork: noop }));
    expect(count(out, '<article')).toBe(200);
    expect(count(out, '<ol')).toBe(1);
  });
});

describe('LineageView markup, paged', () => {
  // The first page of a session: r3 (a root, newest first), then r1 whose two branches sent only r2,
  // and r2's later runs not sent at all; older roots left for later.
  const r1 = run({ number: 1 });
  const r2 = run({ number: 2, parentVariationId: 'r1-v0' });
  const r3 = run({ number: 3, refs: ['r9-v1'] });
  r3.references[0]!.producer = { runNumber: 9, index: 1 };
  const node = (r: typeof r1, index: number, childCount: number, descendants: number, parent?: string) => ({
    run: r,
    edge: parent ? { kind: 'fork' as const, parentRunId: parent, fromVariationId: `${parent}-v0` } : null,
    index,
    childCount,
    descendants,
  });
  const first: LineagePage = {
    sessionId: 's1',
    expand: null,
    cursor: 0,
    siblings: 5,
    totalRuns: 12,
    nodes: [node(r3, 0, 0, 0), node(r1, 1, 2, 6), node(r2, 0, 3, 4, 'r1')],
  };
  const html = renderToStaticMarkup(
    createElement(LineageView, { forest: mergeLineagePages([first]), onFork: noop, loading: new Set(['r1:1']) }),
  );

  it('draws only what is loaded, newest root first', () => {
    expect(count(html, '<article')).toBe(3);
    expect(html.indexOf('Run 3</h3>')).toBeLessThan(html.indexOf('Run 1</h3>'));
  });

  it('shows a run whose later runs are not loaded as collapsed, with a button to load them', () => {
    expect(html).toMatch(/aria-label="Runs after run 2"[^>]*aria-expanded="false"/);
    expect(html).toContain('Show 4 later runs');
    expect(html).toMatch(/aria-label="Runs after run 1"[^>]*aria-expanded="true"/);
  });

  it('offers the rest of a wide run and of the session, and marks a request under way', () => {
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*aria-busy="true"[^>]*>.*Show 1 more branch from run 1</);
    expect(html).toContain('3 of 12 runs shown');
    expect(html).toContain('Show 3 more run trees');
  });

  it('names the producer of a reference even when its run is not loaded', () => {
    expect(html).toContain('title="Output of variation 2 of run 9"');
  });
});

describe('ProvenancePath markup', () => {
  const r1 = run({ number: 1 });
  const r2 = run({ number: 2, refs: ['r1-v1', null] });
  const steps = [step(r1, 'r1-v1'), step(r2, 'r2-v0')];

  it('lists the steps originals first, whatever order they arrive in', () => {
    for (const input of [steps, [...steps].reverse()]) {
      const html = renderToStaticMarkup(createElement(ProvenancePath, { steps: input }));
      expect(html).toContain('aria-label="Path to originals"');
      expect(attrs(html, 'aria-label').filter((l) => l?.startsWith('Step '))).toEqual(['Step 1: run 1', 'Step 2: run 2']);
      expect(attrs(html, 'alt')).toEqual([
        'Run 1 reference 1',
        'Output of run 1, Offline engine, seed 101',
        'Run 2 reference 1',
        'Run 2 reference 2',
        'Output of run 2, Offline engine, seed 100',
      ]);
      expect(html).toContain('>step 1</span>');
      expect(count(html, 'aria-current="step"')).toBe(1);
    }
  });

  it('says so when there is no history', () => {
    expect(renderToStaticMarkup(createElement(ProvenancePath, { steps: [] }))).toContain('No history');
  });
});
