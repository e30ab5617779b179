'use client';

import { useQueryClient } from '@tanstack/react-query';
import { usePathname, useRouter } from 'next/navigation';
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { lineageKeys, runKeys, sessionKeys } from '@/lib/client/query-keys';
import { MAX_REFERENCES } from '@/lib/schemas/limits';
import type { AssetDto, RunDto, VariationDto } from '@/lib/schemas/run';
import type { StudioTarget } from '@/lib/schemas/studio';
import { rerunAction, retryVariationAction, submitRunAction } from '@/lib/server/actions/runs';
import { useToast } from '../ui/toaster';
import { StudioCompare, type CompareRequest } from './studio-compare';
import { useComposer } from './use-composer';
import { startingDraft, toDraft, useDraftSync, type SavedDraft } from './use-draft';
import { usePaste } from './use-paste';
import { useReferences } from './use-references';
import { safetyParamsFor } from '../safety/safety-params';

export type StudioView = 'runs' | 'grid' | 'lineage';

type StudioSession = { id: string; title: string; notes: string; archived: boolean };

export type ForkRequest = { variationId: string; asset: AssetDto; name: string };

type Props = {
  session: StudioSession;
  targets: StudioTarget[];
  /** Example instructions the offline engine understands (from the engine itself). */
  engineHelp: string[];
  /** The composer as it was left in this session, saved on the server. */
  draft: SavedDraft | null;
  children: ReactNode;
};

function useStudioState({ session, targets, engineHelp, draft }: Omit<Props, 'children'>) {
  const router = useRouter();
  const pathname = usePathname();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [start] = useState(() => startingDraft(session.id, draft));
  const refs = useReferences(start?.references.map((asset, i) => ({ asset, name: savedName(asset, i) })) ?? []);
  const composer = useComposer(targets, start);
  const draftSync = useDraftSync(session.id, toDraft(composer.values, refs.items), composer.values.seed !== 0);
  const [parentVariationId, setParentVariationId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [compare, setCompare] = useState<CompareRequest | null>(null);
  const [title, setTitle] = useState(session.title);
  const forked = useRef<string | null>(null);
  const targetMap = useMemo(() => new Map(targets.map((t) => [t.id, t])), [targets]);
  const view: StudioView = pathname.endsWith('/grid') ? 'grid' : pathname.endsWith('/lineage') ? 'lineage' : 'runs';
  usePaste(refs.addFiles);

  // A new run changes the feed, the lineage and the sidebar's counts; the grid polls by itself.
  const refresh = useCallback(async () => {
    void queryClient.invalidateQueries({ queryKey: lineageKeys.session(session.id) });
    await queryClient.invalidateQueries({ queryKey: runKeys.feed(session.id) });
  }, [queryClient, session.id]);

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
        safety: safetyParamsFor(chosen, values.safety),
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
      // Stacked (narrow screens): the new run is below the composer, so go to it.
      if (matchMedia('(max-width: 899px)').matches) document.getElementById('session-views')?.scrollIntoView({ behavior: 'smooth' });
    } catch {
      setError('The server did not answer. Your run was not submitted; try again.');
    } finally {
      setBusy(false);
    }
  };

  const forkFrom = (variationId: string, asset: AssetDto, name: string) => {
    if (refs.addAsset(asset, name)) setParentVariationId(variationId);
  };

  /** "Fork from here" from another page (`?fork=`): the output goes first, once per visit. */
  const applyFork = (fork: ForkRequest) => {
    if (forked.current === fork.variationId) return;
    forked.current = fork.variationId;
    const rest = refs.items.filter((i) => i.asset && i.asset.id !== fork.asset.id).map((i) => ({ asset: i.asset!, name: i.name }));
    const dropped = rest.splice(MAX_REFERENCES - 1);
    refs.replaceAll([{ asset: fork.asset, name: fork.name }, ...rest]);
    for (const d of dropped)
      refs.report(`“${d.name}” was taken out to make room for the forked image (at most ${MAX_REFERENCES} references).`);
    setParentVariationId(fork.variationId);
    draftSync.markChanged();
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
    else if (result.data.warnings.length > 0) toast({ message: result.data.warnings.join(' ') });
    await refresh();
  };

  return {
    session: { ...session, title },
    view,
    targets,
    targetMap,
    engineHelp,
    refs,
    composer,
    draftStatus: draftSync.status,
    parentVariationId,
    clearParent: () => setParentVariationId(null),
    busy,
    error,
    compare,
    openCompare: setCompare,
    submit,
    forkFrom,
    applyFork,
    rerun,
    tweak,
    retry,
  };
}

export type Studio = ReturnType<typeof useStudioState>;

const StudioContext = createContext<Studio | null>(null);

/** The session's studio state, shared by the composer and whichever view is open. */
export function useStudio(): Studio {
  const studio = useContext(StudioContext);
  if (!studio) throw new Error('useStudio() outside <StudioProvider>');
  return studio;
}

/**
 * Holds a session's composer (references, instruction, targets, parameters) in the session's
 * layout, so switching Runs / Grid / Lineage keeps it; the draft is also saved on the server.
 */
export function StudioProvider({ children, ...props }: Props) {
  const studio = useStudioState(props);
  return (
    <StudioContext.Provider value={studio}>
      {children}
      {studio.compare && (
        <StudioCompare
          request={studio.compare}
          sessionId={studio.session.id}
          targets={studio.targetMap}
          onClose={() => studio.openCompare(null)}
        />
      )}
    </StudioContext.Provider>
  );
}

/** A restored reference has no file name any more (the draft keeps the image only). */
function savedName(asset: AssetDto, i: number): string {
  return `reference-${i + 1}.${asset.mime === 'image/jpeg' ? 'jpg' : (asset.mime.split('/')[1] ?? 'png')}`;
}
