'use client';

import { cn } from '@/lib/cn';
import { CornerDownRight, GitBranch, ImagePlus, Loader2, RotateCcw, SlidersHorizontal } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  forestFromDto,
  forestPath,
  moreChildren,
  moreKey,
  moreRoots,
  type ForestNode,
  type LineageForest,
  type MoreRequest,
} from '@/lib/lineage/forest';
import { edgeLabel } from '@/lib/lineage/labels';
import type { LineageEdge } from '@/lib/lineage/tree';
import type { LineageDto, LineageRun } from '@/lib/schemas/lineage';
import { assetUrl } from '@/lib/schemas/run';
import { Button } from '../ui/button';
import { LineageRunCard } from './lineage-run-card';

type Props = {
  /** The tree as far as it is loaded (pages merged: lib/lineage/forest.ts)… */
  forest?: LineageForest;
  /** …or a whole lineage at once. */
  dto?: LineageDto;
  /** Loads more of the tree: the next children of a run, or the next roots. */
  onShowMore?: (request: MoreRequest) => void;
  /** Requests under way (`moreKey`), shown as loading. */
  loading?: ReadonlySet<string>;
  /** Where a variation's provenance lives; defaults to `/v/<variationId>`. */
  targetsHref?: (variationId: string) => string;
  onFork: (variationId: string) => void;
  /** Sets the variation aside in the compare tray. */
  onAddToTray?: (variationId: string) => void;
  /** Its path from the originals is outlined, its ancestors kept expanded and scrolled to. */
  highlightVariationId?: string;
};

type Owner = { run: LineageRun; variation: LineageRun['variations'][number] };

type Ctx = {
  owners: Map<string, Owner>;
  runNumbers: Map<string, number>;
  onPath: ReadonlySet<string>;
  collapsed: ReadonlySet<string>;
  loading: ReadonlySet<string>;
  highlightRunId: string | undefined;
  highlightVariationId: string | undefined;
  onToggle: (runId: string) => void;
  onShowMore: (request: MoreRequest) => void;
  onFork: (variationId: string) => void;
  onAddToTray?: (variationId: string) => void;
  provenanceHref: (variationId: string) => string;
  producedBy: (variationId: string) => string | undefined;
};

const defaultHref = (variationId: string) => `/v/${encodeURIComponent(variationId)}`;
/** Past this many nested branches indentation stops growing, so deep sessions stay readable. */
const MAX_INDENT = 6;
const EMPTY = new Set<string>();
const noop = () => {};

/** Every node held, by run id (iterative: chains can be long). */
function indexForest(forest: LineageForest): Map<string, ForestNode> {
  const byId = new Map<string, ForestNode>();
  const stack = [...forest.roots];
  while (stack.length) {
    const node = stack.pop()!;
    byId.set(node.run.id, node);
    stack.push(...node.children);
  }
  return byId;
}

/** Children not loaded yet: the run shows as collapsed until they are. */
const unloaded = (node: ForestNode) => node.children.length === 0 && node.childCount > 0;

/**
 * A session's runs as a tree: each run under the variation (or run) it came from. Only what is
 * loaded is drawn; where a run has more below it, or the session more runs, a button asks for them.
 */
export function LineageView({
  forest: given,
  dto,
  onShowMore = noop,
  loading = EMPTY,
  targetsHref,
  onFork,
  onAddToTray,
  highlightVariationId,
}: Props) {
  const forest = useMemo(() => given ?? forestFromDto(dto ?? { sessionId: '', runs: [] }), [given, dto]);
  const byId = useMemo(() => indexForest(forest), [forest]);
  const owners = useMemo(() => {
    const map = new Map<string, Owner>();
    for (const { run } of byId.values()) for (const variation of run.variations) map.set(variation.id, { run, variation });
    return map;
  }, [byId]);
  const runNumbers = useMemo(() => new Map([...byId.values()].map((n) => [n.run.id, n.run.number])), [byId]);
  const path = useMemo(() => (highlightVariationId ? forestPath(forest, highlightVariationId) : []), [forest, highlightVariationId]);
  const onPath = useMemo(() => new Set(path), [path]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());

  // A newly highlighted image must be visible: re-expand its ancestors (state adjusted during render,
  // React's recommended alternative to an effect that would paint the collapsed tree first).
  const [revealed, setRevealed] = useState(highlightVariationId);
  if (highlightVariationId !== revealed) {
    setRevealed(highlightVariationId);
    if (path.some((id) => collapsed.has(id))) setCollapsed(new Set([...collapsed].filter((id) => !onPath.has(id))));
  }

  const onToggle = useCallback(
    (runId: string) => {
      const node = byId.get(runId);
      if (node && unloaded(node)) {
        setCollapsed((prev) => (prev.has(runId) ? new Set([...prev].filter((id) => id !== runId)) : prev));
        onShowMore({ expand: runId, cursor: 0 });
        return;
      }
      setCollapsed((prev) => {
        const next = new Set(prev);
        if (!next.delete(runId)) next.add(runId);
        return next;
      });
    },
    [byId, onShowMore],
  );
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

  if (forest.roots.length === 0) return <p className="text-sm text-muted">No runs in this session yet.</p>;

  const ctx: Ctx = {
    owners,
    runNumbers,
    onPath,
    collapsed,
    loading,
    highlightRunId: path.at(-1),
    highlightVariationId,
    onToggle,
    onShowMore,
    onFork,
    onAddToTray,
    provenanceHref: targetsHref ?? defaultHref,
    producedBy,
  };
  const rootsLeft = moreRoots(forest);
  return (
    <div ref={container}>
      <ul aria-label="Session lineage" className="space-y-6">
        {forest.roots.map((root) => (
          <li key={root.run.id}>
            <Chain start={root} depth={0} ctx={ctx} />
          </li>
        ))}
      </ul>
      {rootsLeft && (
        <div className="mt-6 flex flex-wrap items-center justify-center gap-3 text-xs text-muted">
          <span>
            {byId.size} of {forest.totalRuns} runs shown
          </span>
          <MoreButton request={rootsLeft} ctx={ctx}>
            Show {forest.rootCount - forest.roots.length} more {forest.rootCount - forest.roots.length === 1 ? 'run tree' : 'run trees'}
          </MoreButton>
        </div>
      )}
    </div>
  );
}

/** Asks for more of the tree; says so while the answer is on its way. */
function MoreButton({ request, ctx, children }: { request: MoreRequest; ctx: Ctx; children: ReactNode }) {
  const busy = ctx.loading.has(moreKey(request));
  return (
    <Button size="sm" variant="ghost" disabled={busy} aria-busy={busy || undefined} onClick={() => ctx.onShowMore(request)}>
      {busy && <Loader2 size={12} className="animate-spin" aria-hidden />}
      {children}
    </Button>
  );
}

/**
 * A straight line of descent is drawn as one list at the same indentation (iteration is mostly
 * linear, and indenting each step would push a 200-run chain off the screen); only where a run has
 * several children does the tree branch and indent.
 */
function Chain({ start, depth, ctx }: { start: ForestNode; depth: number; ctx: Ctx }) {
  const chain: ForestNode[] = [start];
  let last = start;
  while (last.childCount === 1 && last.children.length === 1 && !ctx.collapsed.has(last.run.id)) {
    last = last.children[0]!;
    chain.push(last);
  }
  const branches = ctx.collapsed.has(last.run.id) ? [] : last.children;
  const more = branches.length > 0 ? moreChildren(last) : null;

  return (
    <ol aria-label={`Runs from run ${start.run.number}`} className="space-y-1">
      {chain.map((node) => (
        <li key={node.run.id}>
          {node !== start && node.edge && <EdgeLabel edge={node.edge} onPath={ctx.onPath.has(node.run.id)} ctx={ctx} />}
          <LineageRunCard
            run={node.run}
            onPath={ctx.onPath.has(node.run.id)}
            highlightVariationId={node.run.id === ctx.highlightRunId ? ctx.highlightVariationId : undefined}
            descendants={node.descendants}
            collapsed={ctx.collapsed.has(node.run.id) || unloaded(node)}
            loading={ctx.loading.has(moreKey({ expand: node.run.id, cursor: 0 }))}
            onToggle={ctx.onToggle}
            onFork={ctx.onFork}
            onAddToTray={ctx.onAddToTray}
            provenanceHref={ctx.provenanceHref}
            producedBy={ctx.producedBy}
          />
          {node === last && branches.length > 0 && (
            <ul
              aria-label={`Branches from run ${node.run.number}`}
              className={cn('mt-1 space-y-3 border-l-2 border-line', depth < MAX_INDENT ? 'ml-4 pl-4' : 'ml-1 pl-2')}
            >
              {branches.map((child) => (
                <li key={child.run.id} className="pt-1">
                  {child.edge && <EdgeLabel edge={child.edge} onPath={ctx.onPath.has(child.run.id)} ctx={ctx} />}
                  <Chain start={child} depth={depth + 1} ctx={ctx} />
                </li>
              ))}
              {more && (
                <li className="pt-1">
                  <MoreButton request={more} ctx={ctx}>
                    Show {node.childCount - branches.length} more {node.childCount - branches.length === 1 ? 'branch' : 'branches'} from run{' '}
                    {node.run.number}
                  </MoreButton>
                </li>
              )}
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
      className={cn(
        'ml-4 flex items-center gap-1.5 border-l-2 py-1 pl-3 text-[11px]',
        onPath ? 'border-accent text-accent' : 'border-line text-muted',
      )}
    >
      <CornerDownRight size={12} aria-hidden />
      {output && (
        // Decorative: the label says which variation; the thumbnail just ties the edge to the tile above.
        <img
          src={assetUrl(output.sha256, 'thumb')}
          alt=""
          width={16}
          height={16}
          loading="lazy"
          className="size-4 rounded-sm object-cover"
        />
      )}
      <Icon size={12} aria-hidden />
      <span>{edgeLabel(edge, from?.variation)}</span>
      <span className="text-faint">
        · {edge.kind === 'reference' && from ? `variation ${from.variation.index + 1} of ` : ''}run{' '}
        {ctx.runNumbers.get(edge.parentRunId) ?? '?'}
      </span>
    </p>
  );
}
