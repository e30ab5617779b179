'use client';

import clsx from 'clsx';
import { CornerDownRight, GitBranch, ImagePlus, RotateCcw, SlidersHorizontal } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { edgeLabel } from '@/lib/lineage/labels';
import { buildLineageTree, indexVariations, pathToOriginals, type LineageEdge, type LineageTreeNode } from '@/lib/lineage/tree';
import type { LineageDto } from '@/lib/schemas/lineage';
import { assetUrl } from '@/lib/schemas/run';
import { LineageRunCard } from './lineage-run-card';

type Props = {
  dto: LineageDto;
  /** Where a variation's provenance lives; defaults to `/v/<variationId>`. */
  targetsHref?: (variationId: string) => string;
  onFork: (variationId: string) => void;
  /** Sets the variation aside in the compare tray. */
  onAddToTray?: (variationId: string) => void;
  /** Its path from the originals is outlined, its ancestors kept expanded and scrolled to. */
  highlightVariationId?: string;
};

type Ctx = {
  owners: ReturnType<typeof indexVariations>;
  runNumbers: Map<string, number>;
  descendants: Map<string, number>;
  onPath: ReadonlySet<string>;
  collapsed: ReadonlySet<string>;
  highlightRunId: string | undefined;
  highlightVariationId: string | undefined;
  onToggle: (runId: string) => void;
  onFork: (variationId: string) => void;
  onAddToTray?: (variationId: string) => void;
  provenanceHref: (variationId: string) => string;
  producedBy: (variationId: string) => string | undefined;
};

const defaultHref = (variationId: string) => `/v/${encodeURIComponent(variationId)}`;
/** Past this many nested branches indentation stops growing, so deep sessions stay readable. */
const MAX_INDENT = 6;

/** A session's runs as a tree: each run under the variation (or run) it came from. */
export function LineageView({ dto, targetsHref, onFork, onAddToTray, highlightVariationId }: Props) {
  const roots = useMemo(() => buildLineageTree(dto), [dto]);
  const owners = useMemo(() => indexVariations(dto), [dto]);
  const runNumbers = useMemo(() => new Map(dto.runs.map((r) => [r.id, r.number])), [dto]);
  const descendants = useMemo(() => countDescendants(roots), [roots]);
  const path = useMemo(() => (highlightVariationId ? pathToOriginals(dto, highlightVariationId) : []), [dto, highlightVariationId]);
  const onPath = useMemo(() => new Set(path), [path]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());

  // A newly highlighted image must be visible: re-expand its ancestors (state adjusted during render,
  // React's recommended alternative to an effect that would paint the collapsed tree first).
  const [revealed, setRevealed] = useState(highlightVariationId);
  if (highlightVariationId !== revealed) {
    setRevealed(highlightVariationId);
    if (path.some((id) => collapsed.has(id))) setCollapsed(new Set([...collapsed].filter((id) => !onPath.has(id))));
  }

  const onToggle = useCallback((runId: string) => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (!next.delete(runId)) next.add(runId);
      return next;
    });
  }, []);
  const producedBy = useCallback(
    (variationId: string) => {
      const owner = owners.get(variationId);
      return owner ? `variation ${owner.variation.index + 1} of run ${owner.run.number}` : undefined;
    },
    [owners],
  );

  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!highlightVariationId) return;
    const el = container.current?.querySelector(`[data-variation-id="${CSS.escape(highlightVariationId)}"]`);
    el?.scrollIntoView({ block: 'center' });
  }, [highlightVariationId]);

  if (roots.length === 0) return <p className="text-sm text-muted">No runs in this session yet.</p>;

  const ctx: Ctx = {
    owners,
    runNumbers,
    descendants,
    onPath,
    collapsed,
    highlightRunId: path.at(-1),
    highlightVariationId,
    onToggle,
    onFork,
    onAddToTray,
    provenanceHref: targetsHref ?? defaultHref,
    producedBy,
  };
  return (
    <div ref={container}>
      <ul aria-label="Session lineage" className="space-y-6">
        {roots.map((root) => (
          <li key={root.run.id}>
            <Chain start={root} depth={0} ctx={ctx} />
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A straight line of descent is drawn as one list at the same indentation (iteration is mostly
 * linear, and indenting each step would push a 200-run chain off the screen); only where a run has
 * several children does the tree branch and indent.
 */
function Chain({ start, depth, ctx }: { start: LineageTreeNode; depth: number; ctx: Ctx }) {
  const chain: LineageTreeNode[] = [start];
  let last = start;
  while (last.children.length === 1 && !ctx.collapsed.has(last.run.id)) {
    last = last.children[0]!;
    chain.push(last);
  }
  const branches = ctx.collapsed.has(last.run.id) ? [] : last.children;

  return (
    <ol aria-label={`Runs from run ${start.run.number}`} className="space-y-1">
      {chain.map((node) => (
        <li key={node.run.id}>
          {node !== start && node.edge && <EdgeLabel edge={node.edge} onPath={ctx.onPath.has(node.run.id)} ctx={ctx} />}
          <LineageRunCard
            run={node.run}
            onPath={ctx.onPath.has(node.run.id)}
            highlightVariationId={node.run.id === ctx.highlightRunId ? ctx.highlightVariationId : undefined}
            descendants={ctx.descendants.get(node.run.id) ?? 0}
            collapsed={ctx.collapsed.has(node.run.id)}
            onToggle={ctx.onToggle}
            onFork={ctx.onFork}
            onAddToTray={ctx.onAddToTray}
            provenanceHref={ctx.provenanceHref}
            producedBy={ctx.producedBy}
          />
          {node === last && branches.length > 0 && (
            <ul
              aria-label={`Branches from run ${node.run.number}`}
              className={clsx('mt-1 space-y-3 border-l-2 border-line', depth < MAX_INDENT ? 'ml-4 pl-4' : 'ml-1 pl-2')}
            >
              {branches.map((child) => (
                <li key={child.run.id} className="pt-1">
                  {child.edge && <EdgeLabel edge={child.edge} onPath={ctx.onPath.has(child.run.id)} ctx={ctx} />}
                  <Chain start={child} depth={depth + 1} ctx={ctx} />
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}

const EDGE_ICONS = { fork: GitBranch, reference: ImagePlus, rerun: RotateCcw, tweak: SlidersHorizontal } as const;

/** The connector above a child run: how it came from its parent, with the source variation's thumbnail. */
function EdgeLabel({ edge, onPath, ctx }: { edge: LineageEdge; onPath: boolean; ctx: Ctx }) {
  const from = edge.fromVariationId ? ctx.owners.get(edge.fromVariationId) : undefined;
  const Icon = EDGE_ICONS[edge.kind];
  const output = from?.variation.output;
  return (
    <p
      className={clsx(
        'ml-4 flex items-center gap-1.5 border-l-2 py-1 pl-3 text-[11px]',
        onPath ? 'border-accent text-accent' : 'border-line text-muted',
      )}
    >
      <CornerDownRight size={12} aria-hidden />
      {output && (
        // Decorative: the label says which variation; the thumbnail just ties the edge to the tile above.
        // eslint-disable-next-line @next/next/no-img-element
        <img src={assetUrl(output.sha256, 'thumb')} alt="" width={16} height={16} loading="lazy" className="size-4 rounded-sm object-cover" />
      )}
      <Icon size={12} aria-hidden />
      <span>{edgeLabel(edge, from?.variation)}</span>
      <span className="text-faint">
        · {edge.kind === 'reference' && from ? `variation ${from.variation.index + 1} of ` : ''}run {ctx.runNumbers.get(edge.parentRunId) ?? '?'}
      </span>
    </p>
  );
}

/** Number of runs under each run, for the "N later runs hidden" note; iterative to survive deep chains. */
function countDescendants(roots: LineageTreeNode[]): Map<string, number> {
  const counts = new Map<string, number>();
  const order: LineageTreeNode[] = [];
  const stack = [...roots];
  while (stack.length) {
    const node = stack.pop()!;
    order.push(node);
    stack.push(...node.children);
  }
  for (const node of order.reverse()) {
    counts.set(node.run.id, node.children.reduce((sum, c) => sum + 1 + (counts.get(c.run.id) ?? 0), 0));
  }
  return counts;
}
