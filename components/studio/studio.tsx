'use client';

import { useQueryClient } from '@tanstack/react-query';
import { X } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { OFFLINE_TARGET_ID } from '@/lib/providers/catalog';
import { retryVariationAction, submitRunAction } from '@/lib/server/actions/runs';
import type { RunDto, RunPage, VariationDto } from '@/lib/schemas/run';
import type { StudioTarget } from '@/lib/schemas/studio';
import { CompareDialog } from '../compare/compare-dialog';
import { IconButton } from '../ui/icon-button';
import { Composer, type ComposerValues } from './composer';
import { EngineHelp } from './engine-help';
import { randomSeed } from './format';
import { ReferenceTray } from './reference-tray';
import { RunFeed, runsKey } from './run-feed';
import { useReferences } from './use-references';

type Props = {
  session: { id: string; title: string };
  firstPage: RunPage;
  targets: StudioTarget[];
  /** Example instructions the offline engine understands (from the engine itself). */
  engineHelp: string[];
};

/** The studio: references and instruction on the left, the runs as they arrive on the right. */
export function Studio({ session, firstPage, targets, engineHelp }: Props) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const refs = useReferences();
  const [values, setValues] = useState<ComposerValues>(() => ({
    instruction: '',
    negativePrompt: '',
    seed: 0,
    keepSeed: false,
    count: 2,
    size: 'auto',
    format: 'png',
    strength: 0.6,
    guidance: 3.5,
    targets: targets.some((t) => t.id === OFFLINE_TARGET_ID) ? [OFFLINE_TARGET_ID] : [],
  }));
  const [parentVariationId, setParentVariationId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [compare, setCompare] = useState<{ run: RunDto; variationId: string; number: number } | null>(null);
  const targetMap = useMemo(() => new Map(targets.map((t) => [t.id, t])), [targets]);
  const targetLabel = useCallback((id: string) => targetMap.get(id)?.label ?? id, [targetMap]);

  // The seed starts random on the client (a server-rendered random value would not hydrate).
  useEffect(() => setValues((v) => (v.seed === 0 ? { ...v, seed: randomSeed() } : v)), []);

  // Paste anywhere in the studio adds images from the clipboard.
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const files = [...(e.clipboardData?.files ?? [])];
      if (files.length === 0) return;
      e.preventDefault();
      refs.addFiles(files);
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [refs.addFiles]);

  const submit = async () => {
    if (busy) return;
    setError(null);
    if (refs.items.some((i) => i.status === 'uploading')) return setError('Wait for the uploads to finish.');
    const referenceIds = refs.items.flatMap((i) => (i.asset ? [i.asset.id] : []));
    const chosen = values.targets.map((id) => targetMap.get(id)).filter(Boolean) as StudioTarget[];
    setBusy(true);
    try {
      const result = await submitRunAction({
        sessionId: session.id,
        instruction: values.instruction,
        negativePrompt: values.negativePrompt,
        referenceIds,
        targets: values.targets,
        count: values.count,
        seed: values.seed,
        size: values.size,
        format: values.format,
        strength: chosen.some((t) => t.capabilities.strength) ? values.strength : undefined,
        guidance: chosen.some((t) => t.capabilities.guidance) ? values.guidance : undefined,
        parentVariationId: parentVariationId ?? undefined,
      });
      if (!result.ok) return setError(result.error.message);
      if (!values.keepSeed) setValues((v) => ({ ...v, seed: randomSeed() }));
      await queryClient.invalidateQueries({ queryKey: runsKey(session.id) });
      router.refresh();
    } catch {
      setError('The server did not answer. Your run was not submitted; try again.');
    } finally {
      setBusy(false);
    }
  };

  const useAsReference = (v: VariationDto) => {
    if (!v.output) return;
    if (refs.addAsset(v.output, `variation-${v.index + 1}-seed-${v.seed}`)) setParentVariationId(v.id);
  };

  const retry = async (v: VariationDto) => {
    const result = await retryVariationAction({ variationId: v.id });
    if (!result.ok) setError(result.error.message);
    await queryClient.invalidateQueries({ queryKey: runsKey(session.id) });
  };

  return (
    <div className="grid h-screen min-h-0 grid-cols-[minmax(340px,400px)_1fr]">
      <aside className="min-h-0 space-y-4 overflow-y-auto border-r border-line p-4" aria-label="Composer">
        <h1 className="truncate text-base font-semibold tracking-tight" title={session.title}>
          {session.title}
        </h1>
        <ReferenceTray
          items={refs.items}
          onFiles={refs.addFiles}
          onRemove={(key) => {
            refs.remove(key);
          }}
          onMove={refs.move}
        />
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
        {parentVariationId && (
          <p className="flex items-center justify-between rounded-md bg-raised px-2.5 py-1.5 text-xs text-muted">
            Next run continues from a variation.
            <button type="button" className="underline" onClick={() => setParentVariationId(null)}>
              Clear
            </button>
          </p>
        )}
        <Composer
          values={values}
          onChange={(patch) => setValues((v) => ({ ...v, ...patch }))}
          targets={targets}
          referenceCount={refs.items.length}
          uploading={refs.items.some((i) => i.status === 'uploading')}
          busy={busy}
          error={error}
          onSubmit={submit}
        />
        {values.targets.includes(OFFLINE_TARGET_ID) && <EngineHelp examples={engineHelp} />}
      </aside>
      <main className="min-h-0 overflow-y-auto p-5" aria-label="Runs">
        <RunFeed
          sessionId={session.id}
          firstPage={firstPage}
          targets={targetMap}
          onOpen={(run, v, number) => setCompare({ run, variationId: v.id, number })}
          onUseAsReference={useAsReference}
          onRetry={retry}
        />
      </main>
      {compare && (
        <CompareDialog
          run={compare.run}
          runNumber={compare.number}
          initialVariationId={compare.variationId}
          targetLabel={targetLabel}
          onClose={() => setCompare(null)}
        />
      )}
    </div>
  );
}
