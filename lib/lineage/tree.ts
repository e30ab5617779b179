import type { LineageEdgeDto, LineageRun } from '@/lib/schemas/lineage';

/**
 * How a run came from its parent:
 * - fork: started from a variation ("use as reference" / "fork from here", `parentVariationId`);
 * - reference: one of its references is the output of an earlier variation (`producedByVariationId`);
 * - rerun / tweak: a repeat of an earlier run (`sourceRunId`).
 */
type LineageEdgeKind = 'fork' | 'reference' | 'rerun' | 'tweak';

export type LineageEdge = LineageEdgeDto & { kind: LineageEdgeKind };

/**
 * What the tree needs of a run: its links, not its pictures. The server builds the whole tree from
 * these (cheap) and sends full runs only for the page shown; tests and the client pass full runs.
 */
export type LineageLinks = Pick<LineageRun, 'id' | 'number' | 'createdAt' | 'parentVariationId' | 'sourceRunId' | 'sourceKind'> & {
  references: readonly { position: number; producedByVariationId: string | null }[];
  variations: readonly { id: string; index: number }[];
};

type Runs<R extends LineageLinks> = { runs: readonly R[] };

export type LineageTreeNode<R extends LineageLinks = LineageRun> = { run: R; edge: LineageEdge | null; children: LineageTreeNode<R>[] };

type VariationOwner<R extends LineageLinks> = { run: R; variation: R['variations'][number] };

/** variation id → the run that produced it and the variation itself. */
function indexVariations<R extends LineageLinks>(dto: Runs<R>): Map<string, VariationOwner<R>> {
  const index = new Map<string, VariationOwner<R>>();
  for (const run of dto.runs) for (const variation of run.variations) index.set(variation.id, { run, variation });
  return index;
}

/** Run order: by number, then creation time, then id, so equal numbers (bad data) still sort stably. */
function compareRuns(a: LineageLinks, b: LineageLinks): number {
  return a.number - b.number || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

function sortedRuns<R extends LineageLinks>(dto: Runs<R>): R[] {
  // Duplicate ids would make two nodes share children; keep the first occurrence only.
  const seen = new Set<string>();
  return dto.runs.filter((r) => !seen.has(r.id) && seen.add(r.id)).sort(compareRuns);
}

/**
 * The single parent edge of each run that has one. Preference: the forked-from variation, then a
 * reference produced by an earlier variation, then the re-run/tweak source. A pointer to a run that
 * is not in the DTO (deleted) is skipped, so such a run falls through to the next rule or becomes a root.
 */
function resolveParents<R extends LineageLinks>(dto: Runs<R>): Map<string, LineageEdge> {
  const runs = sortedRuns(dto);
  const byId = new Map(runs.map((r) => [r.id, r]));
  const owners = indexVariations(dto);
  const parents = new Map<string, LineageEdge>();

  for (const run of runs) {
    const edge = parentEdge(run, byId, owners);
    if (edge) parents.set(run.id, edge);
  }
  breakCycles(runs, parents);
  return parents;
}

function parentEdge<R extends LineageLinks>(run: R, byId: Map<string, R>, owners: Map<string, VariationOwner<R>>): LineageEdge | null {
  const forkOwner = run.parentVariationId ? owners.get(run.parentVariationId) : undefined;
  if (forkOwner && forkOwner.run.id !== run.id && byId.has(forkOwner.run.id)) {
    return { kind: 'fork', parentRunId: forkOwner.run.id, fromVariationId: forkOwner.variation.id };
  }
  const refs = [...run.references].sort((a, b) => a.position - b.position);
  for (const ref of refs) {
    const owner = ref.producedByVariationId ? owners.get(ref.producedByVariationId) : undefined;
    if (owner && owner.run.id !== run.id && byId.has(owner.run.id)) {
      return { kind: 'reference', parentRunId: owner.run.id, fromVariationId: owner.variation.id };
    }
  }
  if (run.sourceRunId && run.sourceRunId !== run.id && byId.has(run.sourceRunId)) {
    return { kind: run.sourceKind === 'tweak' ? 'tweak' : 'rerun', parentRunId: run.sourceRunId, fromVariationId: null };
  }
  return null;
}

/**
 * Real data cannot loop (a parent always exists before its child), but a corrupt or hand-edited
 * history must not hang the page: in each cycle the oldest run loses its parent and becomes a root.
 */
function breakCycles(runs: LineageLinks[], parents: Map<string, LineageEdge>): void {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const state = new Map<string, 'walking' | 'done'>();
  for (const start of runs) {
    const walk: string[] = [];
    let cur: string | undefined = start.id;
    while (cur !== undefined && !state.has(cur)) {
      state.set(cur, 'walking');
      walk.push(cur);
      cur = parents.get(cur)?.parentRunId;
    }
    if (cur !== undefined && state.get(cur) === 'walking') {
      const cycle = walk.slice(walk.indexOf(cur)).map((id) => byId.get(id)!);
      const oldest = cycle.sort(compareRuns)[0]!;
      parents.delete(oldest.id);
    }
    for (const id of walk) state.set(id, 'done');
  }
}

/** The session's runs as a forest: roots and children in run order. */
export function buildLineageTree<R extends LineageLinks>(dto: Runs<R>): LineageTreeNode<R>[] {
  const parents = resolveParents(dto);
  const nodes = new Map<string, LineageTreeNode<R>>();
  const runs = sortedRuns(dto);
  for (const run of runs) nodes.set(run.id, { run, edge: parents.get(run.id) ?? null, children: [] });

  const roots: LineageTreeNode<R>[] = [];
  // Runs are visited in order, so every children list comes out sorted by run number.
  for (const run of runs) {
    const node = nodes.get(run.id)!;
    const parent = node.edge ? nodes.get(node.edge.parentRunId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Run ids from the root down to the run that produced `variationId`; empty if the variation is unknown. */
export function pathToOriginals<R extends LineageLinks>(dto: Runs<R>, variationId: string): string[] {
  const owner = indexVariations(dto).get(variationId);
  if (!owner) return [];
  const parents = resolveParents(dto);
  const path: string[] = [];
  const seen = new Set<string>();
  let cur: string | undefined = owner.run.id;
  while (cur !== undefined && !seen.has(cur)) {
    seen.add(cur);
    path.push(cur);
    cur = parents.get(cur)?.parentRunId;
  }
  return path.reverse();
}
