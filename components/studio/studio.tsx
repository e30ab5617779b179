'use client';

import { useQueryClient } from '@tanstack/react-query';
import { X } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useCallback, useMemo, useState } from 'react';
import { runKeys, sessionKeys } from '@/lib/client/query-keys';
import { rerunAction, retryVariationAction, submitRunAction } from '@/lib/server/actions/runs';
import type { LineageDto } from '@/lib/schemas/lineage';
import type { AssetDto, RunDto, RunPage, VariationDto } from '@/lib/schemas/run';
import type { StudioTarget } from '@/lib/schemas/studio';
import { CullingGrid } from '../grid/culling-grid';
import { SessionHeader } from '../history/session-header';
import { useRunEdits } from '../history/use-run-edits';
import { LineageView } from '../lineage/lineage-view';
import { IconButton } from '../ui/icon-button';
import { useToast } from '../ui/toaster';
import { Composer } from './composer';
import { EngineHelp } from './engine-help';
import { ReferenceTray } from './reference-tray';
import { RunFeed } from './run-feed';
import { SessionTabs } from './session-tabs';
import { StudioCompare, type CompareRequest } from './studio-compare';
import { useComposer } from './use-composer';
import { useReferences } from './use-references';
import { usePaste } from './use-paste';

export type StudioView = 'runs' | 'grid' | 'lineage';

type Props = {
  view: StudioView;
  session: { id: string; title: string; notes: string; archived: boolean };
  firstPage: RunPage;
  targets: StudioTarget[];
  /** Example instructions the offline engine understands (from the engine itself). */
  engineHelp: string[];
  fork: { variationId: string; asset: AssetDto; name: string } | null;
  lineage?: LineageDto;
};

/** The studio: references and instruction on the left, the session's runs, grid or lineage on the right. */
export function Studio({ view, session, firstPage, targets, engineHelp, fork, lineage }: Props) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const toast = useToast();
  const refs = useReferences(fork ? [{ asset: fork.asset, name: fork.name }] : []);
  const edits = useRunEdits(session.id);
  const composer = useComposer(targets);
  const [parentVariationId, setParentVariationId] = useState<string | null>(fork?.variationId ?? null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [compare, setCompare] = useState<CompareRequest | null>(null);
  const [title, setTitle] = useState(session.title);
  const targetMap = useMemo(() => new Map(targets.map((t) => [t.id, t])), [targets]);
  const refresh = useCallback(() => queryClient.invalidateQueries({ queryKey: runKeys.feed(session.id) }), [queryClient, session.id]);
  usePaste(refs.addFiles);

  const submit = async () => {
    if (busy) return;
    setError(null);
    const { values, source } = composer;
    const chosen = values.targets.map((id) => targetMap.get(id)).filter(Boolean) as StudioTarget[];
    setBusy(true);
    try {
      const result = await submitRunAction({
        sessionId: session.id,
        instruction: values.instruction,
        negativePrompt: values.negativePrompt,
        referenceIds: refs.items.flatMap((i) => (i.asset ? [i.asset.id] : [])),
        targets: values.targets,
        count: values.count,
        seed: values.seed,
        size: values.size,
        format: values.format,
        strength: chosen.some((t) => t.capabilities.strength) ? values.strength : undefined,
        guidance: chosen.some((t) => t.capabilities.guidance) ? values.guidance : undefined,
        parentVariationId: parentVariationId ?? undefined,
        sourceRunId: source?.runId,
        sourceKind: source?.kind,
      });
      if (!result.ok) return setError(result.error.message);
      composer.afterSubmit();
      // Only what changed is refetched: the runs and the sidebar. No full page refresh, which
      // would re-render the whole page on the server (and reload the tab if that request fails).
      setTitle(result.data.sessionTitle);
      await refresh();
      void queryClient.invalidateQueries({ queryKey: sessionKeys.all });
      if (view !== 'runs') router.push(`/s/${session.id}`);
    } catch {
      setError('The server did not answer. Your run was not submitted; try again.');
    } finally {
      setBusy(false);
    }
  };

  const forkFrom = (variationId: string, asset: AssetDto, name: string) => {
    if (refs.addAsset(asset, name)) setParentVariationId(variationId);
  };

  const rerun = async (run: RunDto) => {
    const r = await rerunAction({ runId: run.id });
    if (!r.ok) return toast({ tone: 'error', message: r.error.message });
    toast({ message: `Run ${r.data.number} queued: an exact re-run of run ${run.number}.` });
    await refresh();
  };

  const tweak = (run: RunDto) => {
    refs.replaceAll(run.references.map((r) => ({ asset: r.asset, name: `run-${run.number}-image-${r.position + 1}` })));
    setParentVariationId(run.parentVariationId);
    composer.loadRun(run);
    document.getElementById('instruction')?.focus();
  };

  const retry = async (v: VariationDto) => {
    const result = await retryVariationAction({ variationId: v.id });
    if (!result.ok) toast({ tone: 'error', message: result.error.message });
    await refresh();
  };

  return (
    <div className="grid h-screen min-h-0 grid-cols-[minmax(340px,400px)_1fr]">
      <aside className="min-h-0 space-y-4 overflow-y-auto border-r border-line p-4" aria-label="Composer">
        <SessionHeader session={{ ...session, title }} />
        <ReferenceTray items={refs.items} onFiles={refs.addFiles} onRemove={refs.remove} onMove={refs.move} />
        {refs.problems.length > 0 && (
          <ul className="space-y-1.5" aria-label="Upload problems">
            {refs.problems.map((p) => (
              <li key={p.key} role="alert" className="flex items-start gap-2 rounded-md border border-danger/40 bg-danger/10 px-2.5 py-1.5 text-xs text-danger">
                <span className="flex-1">{p.message}</span>
                <IconButton label="Dismiss" className="size-5" onClick={() => refs.dismissProblem(p.key)}>
                  <X size={12} />
                </IconButton>
              </li>
            ))}
          </ul>
        )}
        {composer.source && (
          <p role="status" className="flex items-center justify-between gap-2 rounded-md border border-accent/40 bg-accent/10 px-2.5 py-1.5 text-xs text-ink">
            Tweaking run {composer.source.number}: change one thing, then Generate.
            <button type="button" className="underline" onClick={() => composer.setSource(null)}>
              Stop tweaking
            </button>
          </p>
        )}
        {parentVariationId && (
          <p className="flex items-center justify-between rounded-md bg-raised px-2.5 py-1.5 text-xs text-muted">
            Next run continues from a variation.
            <button type="button" className="underline" onClick={() => setParentVariationId(null)}>
              Clear
            </button>
          </p>
        )}
        <Composer
          values={composer.values}
          onChange={composer.patch}
          targets={targets}
          referenceCount={refs.items.length}
          uploading={refs.items.some((i) => i.status === 'uploading')}
          busy={busy}
          error={error}
          onSubmit={submit}
        />
        {composer.values.targets.includes('offline:engine-v1') && <EngineHelp examples={engineHelp} />}
      </aside>
      <main className="flex min-h-0 flex-col" aria-label="Session">
        <SessionTabs sessionId={session.id} view={view} />
        {/* The grid scrolls itself (virtualised); the other views scroll here. */}
        <div className={view === 'grid' ? 'flex min-h-0 flex-1 flex-col overflow-hidden p-5' : 'min-h-0 flex-1 overflow-y-auto p-5'}>
          {view === 'runs' && (
            <RunFeed
              sessionId={session.id}
              firstPage={firstPage}
              targets={targetMap}
              onOpen={(run, v, loaded) => setCompare({ run, variationId: v.id, loaded })}
              onUseAsReference={(v) => v.output && forkFrom(v.id, v.output, `variation-${v.index + 1}-seed-${v.seed}`)}
              onRetry={retry}
              onRerun={rerun}
              onTweak={tweak}
            />
          )}
          {view === 'grid' && <CullingGrid sessionId={session.id} onOpen={(item) => router.push(`/v/${item.id}`)} />}
          {view === 'lineage' && lineage && (
            <LineageView
              dto={lineage}
              onFork={(variationId) => {
                const v = lineage.runs.flatMap((r) => r.variations.map((x) => ({ ...x, run: r }))).find((x) => x.id === variationId);
                if (v?.output) forkFrom(v.id, v.output, `run-${v.run.number}-variation-${v.index + 1}`);
              }}
              onAddToTray={(variationId) => {
                const v = lineage.runs.flatMap((r) => r.variations).find((x) => x.id === variationId);
                if (v?.output) void edits.addToTray([{ assetId: v.output.id, variationId }]);
              }}
            />
          )}
        </div>
      </main>
      {compare && <StudioCompare request={compare} sessionId={session.id} targets={targetMap} onClose={() => setCompare(null)} />}
    </div>
  );
}
