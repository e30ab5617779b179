'use client';

import { useEffect, useState } from 'react';
import { OFFLINE_TARGET_ID } from '@/lib/providers/catalog';
import type { Draft } from '@/lib/schemas/draft';
import type { RunDto } from '@/lib/schemas/run';
import type { StudioTarget } from '@/lib/schemas/studio';
import type { ComposerValues } from './composer';
import { randomSeed } from './format';

export type Source = { runId: string; number: number; kind: 'tweak' };

/** A new session's composer: the offline engine chosen when it is there, so a fresh install works. */
function defaults(targets: StudioTarget[]): ComposerValues {
  return {
    instruction: '',
    negativePrompt: '',
    seed: 0,
    keepSeed: false,
    count: 2,
    size: 'auto',
    format: 'png',
    strength: 0.6,
    guidance: 3.5,
    safety: {},
    targets: targets.some((t) => t.id === OFFLINE_TARGET_ID) ? [OFFLINE_TARGET_ID] : [],
  };
}

/** The form as the saved draft left it; targets no longer configured here are dropped. */
function fromDraft(targets: StudioTarget[], draft: Draft | null): ComposerValues {
  const base = defaults(targets);
  if (!draft) return base;
  const usable = new Set(targets.filter((t) => t.configured).map((t) => t.id));
  return {
    instruction: draft.instruction,
    negativePrompt: draft.negativePrompt,
    seed: draft.seed ?? base.seed,
    keepSeed: draft.keepSeed,
    count: draft.count ?? base.count,
    size: draft.size ?? base.size,
    format: draft.format ?? base.format,
    strength: draft.strength ?? base.strength,
    guidance: draft.guidance ?? base.guidance,
    // Only settings of targets still usable here; the composer sends those of the picked ones.
    safety: Object.fromEntries(Object.entries(draft.safety ?? {}).filter(([id]) => usable.has(id))),
    targets: draft.targets.filter((id) => usable.has(id)),
  };
}

/**
 * The composer's form state, plus "tweak": reopen a run's exact form to change one thing.
 * Starts from the session's saved draft (read once: a later server copy never replaces what
 * is being typed).
 */
export function useComposer(targets: StudioTarget[], draft: Draft | null = null) {
  const [values, setValues] = useState<ComposerValues>(() => fromDraft(targets, draft));
  const [source, setSource] = useState<Source | null>(null);

  // The seed starts random on the client (a server-rendered random value would not hydrate).
  useEffect(() => setValues((v) => (v.seed === 0 ? { ...v, seed: randomSeed() } : v)), []);

  const patch = (p: Partial<ComposerValues>) => setValues((v) => ({ ...v, ...p }));

  const loadRun = (run: RunDto) => {
    setValues((v) => ({
      ...v,
      instruction: run.instruction,
      negativePrompt: run.negativePrompt,
      seed: run.params.seed,
      keepSeed: true,
      count: run.params.count,
      size: run.params.size,
      format: run.params.format,
      strength: run.params.strength ?? v.strength,
      guidance: run.params.guidance ?? v.guidance,
      safety: run.params.safety ?? {},
      targets: run.targets.filter((t) => targets.some((x) => x.id === t && x.configured)),
    }));
    setSource({ runId: run.id, number: run.number, kind: 'tweak' });
  };

  const afterSubmit = () => {
    setSource(null);
    if (!values.keepSeed) patch({ seed: randomSeed() });
  };

  return { values, patch, source, setSource, loadRun, afterSubmit };
}
