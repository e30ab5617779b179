'use client';

import { useEffect, useState } from 'react';
import { OFFLINE_TARGET_ID } from '@/lib/providers/catalog';
import type { RunDto } from '@/lib/schemas/run';
import type { StudioTarget } from '@/lib/schemas/studio';
import type { ComposerValues } from './composer';
import { randomSeed } from './format';

export type Source = { runId: string; number: number; kind: 'tweak' };

/** The composer's form state, plus "tweak": reopen a run's exact form to change one thing. */
export function useComposer(targets: StudioTarget[]) {
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
