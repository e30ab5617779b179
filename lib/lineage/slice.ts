import type { LineageLinks, LineageTreeNode } from './tree';

/**
 * How much one page of the lineage holds. A session of 250 runs used to arrive whole (every run,
 * every variation); a page is about a screen and a half, and the rest is asked for.
 */
export const LINEAGE_PAGE = {
  /** Runs per page, counted depth first. */
  limit: 24,
  /** Children of a branching run sent before "show N more". A single child continues the chain. */
  wide: 3,
  /** Branchings deep, counted from the page's start: a run this deep arrives collapsed. */
  depth: 2,
} as const;

export type SliceOptions = { limit: number; wide: number; depth: number };

/** Where a page starts: the `cursor`-th child of run `expand`, or of the forest (the roots) when null. */
export type SliceStart = { expand: string | null; cursor: number };

type SliceEntry<R extends LineageLinks> = {
  node: LineageTreeNode<R>;
  /** Position among its parent's children (the roots: newest first). */
  index: number;
};

export type Slice<R extends LineageLinks> = { entries: SliceEntry<R>[]; siblings: number };

/**
 * The roots newest first, so the first page shows the latest work; below a run its children
 * keep run order (the story reads downwards).
 */
function rootsNewestFirst<R extends LineageLinks>(roots: LineageTreeNode<R>[]): LineageTreeNode<R>[] {
  return [...roots].reverse();
}

/** run id → node, over the whole forest (iterative: chains can be thousands deep). */
export function indexTree<R extends LineageLinks>(roots: LineageTreeNode<R>[]): Map<string, LineageTreeNode<R>> {
  const byId = new Map<string, LineageTreeNode<R>>();
  const stack = [...roots];
  while (stack.length) {
    const node = stack.pop()!;
    byId.set(node.run.id, node);
    stack.push(...node.children);
  }
  return byId;
}

/** Runs below each run, for "N later runs". */
export function countDescendants<R extends LineageLinks>(roots: LineageTreeNode<R>[]): Map<string, number> {
  const counts = new Map<string, number>();
  const order: LineageTreeNode<R>[] = [];
  const stack = [...roots];
  while (stack.length) {
    const node = stack.pop()!;
    order.push(node);
    stack.push(...node.children);
  }
  for (const node of order.reverse()) {
    counts.set(
      node.run.id,
      node.children.reduce((sum, c) => sum + 1 + (counts.get(c.run.id) ?? 0), 0),
    );
  }
  return counts;
}

/**
 * One page of the tree, depth first from `start`: each run, then (budget allowing) its first
 * `wide` children if it branches, or its only child if it does not, down to `depth` branchings;
 * a run past that arrives without its children (collapsed). Every entry's parent is an earlier
 * entry or `start.expand`, and each parent's children arrive as a run of consecutive indexes,
 * so the client asks for more of a parent from the count it holds. Undefined if `expand` is
 * not in the tree.
 */
export function sliceLineage<R extends LineageLinks>(
  roots: LineageTreeNode<R>[],
  start: SliceStart,
  options: SliceOptions = LINEAGE_PAGE,
  byId: Map<string, LineageTreeNode<R>> = indexTree(roots),
): Slice<R> | undefined {
  const parent = start.expand === null ? null : byId.get(start.expand);
  if (parent === undefined) return undefined;
  const siblings = parent === null ? rootsNewestFirst(roots) : parent.children;
  const entries: SliceEntry<R>[] = [];
  let budget = Math.max(1, options.limit);

  // An explicit stack instead of recursion: a chain of thousands of runs must not overflow it.
  type Frame = { node: LineageTreeNode<R>; index: number; depth: number };
  for (let i = Math.max(0, start.cursor); i < siblings.length && budget > 0; i++) {
    const stack: Frame[] = [{ node: siblings[i]!, index: i, depth: 0 }];
    while (stack.length > 0 && budget > 0) {
      const { node, index, depth } = stack.pop()!;
      entries.push({ node, index });
      budget--;
      const kids = node.children;
      const branching = kids.length > 1;
      const next = branching ? depth + 1 : depth;
      if (next > options.depth) continue;
      const shown = Math.min(kids.length, branching ? options.wide : 1);
      // Pushed last-first so the first child is visited first.
      for (let k = shown - 1; k >= 0; k--) stack.push({ node: kids[k]!, index: k, depth: next });
    }
  }
  return { entries, siblings: siblings.length };
}
