import type { LineageDto, LineagePage, LineageRun } from '@/lib/schemas/lineage';
import { countDescendants } from './slice';
import { buildLineageTree, type LineageEdge } from './tree';

/**
 * The part of a session's lineage the browser holds: runs placed under their parents, each
 * knowing how many children and descendants it has in the whole tree, so the view can say
 * "show N more" where it holds fewer.
 */
export type ForestNode = {
  run: LineageRun;
  edge: LineageEdge | null;
  /** The children held, in order; fewer than `childCount` when the rest was not loaded yet. */
  children: ForestNode[];
  childCount: number;
  descendants: number;
};

export type LineageForest = { roots: ForestNode[]; rootCount: number; totalRuns: number };

/** Where "show more" asks from: the children of `expand` (null: the roots) from `cursor` on. */
export type MoreRequest = { expand: string | null; cursor: number };

export const moreKey = (r: MoreRequest) => `${r.expand ?? ''}:${r.cursor}`;

/** A whole lineage (every run loaded) as a forest; nothing is left to ask for. */
export function forestFromDto(dto: LineageDto): LineageForest {
  const roots = buildLineageTree(dto);
  const descendants = countDescendants(roots);
  const made = new Map<string, ForestNode>();
  const make = (node: (typeof roots)[number]): ForestNode => {
    const out: ForestNode = {
      run: node.run,
      edge: node.edge,
      children: [],
      childCount: node.children.length,
      descendants: descendants.get(node.run.id) ?? 0,
    };
    made.set(node.run.id, out);
    return out;
  };
  // Iterative: a chain of thousands of runs must not overflow the stack.
  const stack = roots.map((node) => ({ node, out: make(node) }));
  const forest = stack.map((s) => s.out);
  while (stack.length) {
    const { node, out } = stack.pop()!;
    out.children = node.children.map(make);
    node.children.forEach((child, i) => {
      stack.push({ node: child, out: out.children[i]! });
    });
  }
  return { roots: forest, rootCount: roots.length, totalRuns: made.size };
}

/**
 * Pages as they arrived (first page first; later pages win for a run sent twice) merged into
 * one forest. A node whose parent is not held is dropped: it is asked for again with its parent.
 */
export function mergeLineagePages(pages: readonly LineagePage[]): LineageForest {
  const nodes = new Map<string, ForestNode>();
  // parent id ('' for the roots) → child id → index; sorted by index when the forest is built.
  const placed = new Map<string, Map<string, number>>();
  let rootCount = 0;
  let totalRuns = 0;
  for (const page of pages) {
    if (page.expand === null) rootCount = page.siblings;
    totalRuns = page.totalRuns;
    for (const n of page.nodes) {
      nodes.set(n.run.id, { run: n.run, edge: n.edge, children: [], childCount: n.childCount, descendants: n.descendants });
      const parent = n.edge?.parentRunId ?? '';
      // A run seen under another parent before (the data changed between pages) moves.
      for (const [key, kids] of placed) if (key !== parent) kids.delete(n.run.id);
      const kids = placed.get(parent) ?? new Map<string, number>();
      placed.set(parent, kids);
      kids.set(n.run.id, n.index);
    }
  }
  const childrenOf = (parent: string): ForestNode[] =>
    [...(placed.get(parent) ?? [])]
      .sort((a, b) => a[1] - b[1] || nodes.get(a[0])!.run.number - nodes.get(b[0])!.run.number)
      .map(([id]) => nodes.get(id)!);
  // Linked top-down from the roots, so a node whose parent is not held never shows.
  const roots = childrenOf('');
  const stack = [...roots];
  const seen = new Set<string>();
  while (stack.length) {
    const node = stack.pop()!;
    if (seen.has(node.run.id)) continue;
    seen.add(node.run.id);
    node.children = childrenOf(node.run.id).filter((c) => !seen.has(c.run.id));
    stack.push(...node.children);
  }
  return { roots, rootCount: Math.max(rootCount, roots.length), totalRuns };
}

/** The request for the roots the forest does not hold yet, if any. */
export function moreRoots(forest: LineageForest): MoreRequest | null {
  return forest.roots.length < forest.rootCount ? { expand: null, cursor: forest.roots.length } : null;
}

/** The request for the children of `node` the forest does not hold yet, if any. */
export function moreChildren(node: ForestNode): MoreRequest | null {
  return node.children.length < node.childCount ? { expand: node.run.id, cursor: node.children.length } : null;
}

/** Run ids from the root down to the run holding `variationId`, over what the forest holds. */
export function forestPath(forest: LineageForest, variationId: string): string[] {
  const parentOf = new Map<ForestNode, ForestNode | null>(forest.roots.map((r) => [r, null]));
  const stack = [...forest.roots];
  while (stack.length) {
    let node: ForestNode | null | undefined = stack.pop()!;
    if (node.run.variations.some((v) => v.id === variationId)) {
      const path: string[] = [];
      for (; node; node = parentOf.get(node)) path.push(node.run.id);
      return path.reverse();
    }
    for (const child of node.children) {
      parentOf.set(child, node);
      stack.push(child);
    }
  }
  return [];
}
