/**
 * What happened to each variation of one run × target: mostly succeeded, some failed the way
 * providers fail (a refused key fails every slot, a content filter or a 500 hits one), a few
 * cancelled, with timings and costs like the worker records them (jobs/execute.ts).
 */
import { MAX_SEED } from '@/lib/schemas/run';
import type { CatalogTarget } from '@/lib/providers/catalog';
import { FAILURES, LATENCY_S, VARIATION_NOTES, type FailureCode } from './content.mts';
import type { Rng } from './rng.mts';
import type { VariationRow } from './rows.mts';

/** A variation before its run has a clock time: times are ms offsets from the run's creation. */
export type PlannedVariation = Omit<VariationRow, 'queuedAt' | 'startedAt' | 'submittedAt' | 'finishedAt' | 'deletedAt'> & {
  startedMs: number;
  submittedMs: number | null;
  finishedMs: number;
  deleted: boolean;
};

type Outcome = { status: VariationRow['status']; code: FailureCode | 'cancelled' | null; blocked?: 'input' | 'output' };

const SYNC_PROVIDERS = new Set(['offline', 'openai', 'stability', 'together']);

function groupMode(rng: Rng, provider: string): 'ok' | 'group' | 'mixed' | 'cancelled' {
  if (provider === 'offline') return rng.chance(0.99) ? 'ok' : 'group';
  return rng.weighted([
    ['ok', 0.88],
    ['group', 0.045],
    ['mixed', 0.06],
    ['cancelled', 0.015],
  ] as const);
}

/** Outcomes of the `count` slots of one target in one run. */
function outcomes(rng: Rng, provider: string, count: number): Outcome[] {
  const mode = groupMode(rng, provider);
  if (mode === 'ok') return Array.from({ length: count }, () => ({ status: 'succeeded', code: null }));
  if (mode === 'cancelled') {
    // Cancelling a run stops what has not finished yet; the first slot often made it.
    return Array.from({ length: count }, (_, i) =>
      i === 0 && rng.chance(0.4) ? { status: 'succeeded', code: null } : { status: 'cancelled', code: 'cancelled' },
    );
  }
  if (mode === 'group') {
    const code: FailureCode =
      provider === 'offline'
        ? 'bad_input'
        : rng.weighted([
            ['auth', 2],
            ['insufficient_funds', 1],
            ['bad_input', 2],
            ['content_policy', 3],
            ['rate_limited', 1],
          ] as const);
    return Array.from({ length: count }, () => ({ status: 'failed', code, blocked: 'input' }));
  }
  return Array.from({ length: count }, () => {
    if (rng.chance(0.7)) return { status: 'succeeded', code: null };
    const code = rng.weighted([
      ['content_policy', 3],
      ['provider_error', 3],
      ['timeout', 2],
      ['interrupted', 1],
    ] as const);
    return { status: 'failed', code, blocked: 'output' };
  });
}

function adaptationsFor(target: CatalogTarget, referenceCount: number, hasNegative: boolean): string {
  const caps = target.capabilities;
  const list: { kind: string; message: string }[] = [];
  if (referenceCount > caps.maxReferences) {
    list.push(
      caps.overflow === 'stitch'
        ? { kind: 'stitched', message: `Images 1–${referenceCount} were stitched into one: ${target.label} takes ${caps.maxReferences}.` }
        : {
            kind: 'dropped',
            message: `Image ${caps.maxReferences + 1}${referenceCount > caps.maxReferences + 1 ? ` to ${referenceCount}` : ''} left out: ${target.label} takes ${caps.maxReferences}.`,
          },
    );
  }
  if (hasNegative && !caps.negativePrompt) list.push({ kind: 'note', message: `${target.label} has no negative prompt; it was not sent.` });
  return JSON.stringify(list);
}

function jobId(rng: Rng, provider: string): string | null {
  if (SYNC_PROVIDERS.has(provider)) return null;
  let id = '';
  for (let i = 0; i < 24; i++) id += '0123456789abcdefghijklmnopqrstuvwxyz'[rng.int(0, 35)];
  return id;
}

function cost(rng: Rng, target: CatalogTarget): Pick<VariationRow, 'costUsd' | 'costSource'> {
  const price = target.capabilities.pricePerImageUsd;
  // Token-billed models report their own cost, which drifts around the list price.
  if (target.provider === 'openai' && price !== null)
    return { costUsd: Number((price * rng.between(0.8, 1.6)).toFixed(4)), costSource: 'provider' };
  if (price !== null) return { costUsd: price, costSource: 'estimate' };
  return rng.chance(0.4)
    ? { costUsd: Number(rng.between(0.02, 0.09).toFixed(4)), costSource: 'provider' }
    : { costUsd: null, costSource: null };
}

export type PlanTargetInput = {
  rng: Rng;
  newId: () => string;
  runId: string;
  target: CatalogTarget;
  count: number;
  runSeed: number;
  referenceCount: number;
  hasNegative: boolean;
  /** Position of this target's first slot among the run's slots: later slots wait for a worker. */
  queuePosition: number;
  outputAssetIds: readonly string[];
  allowDeleted: boolean;
};

export function planTargetVariations(input: PlanTargetInput): PlannedVariation[] {
  const { rng, target } = input;
  const adaptations = adaptationsFor(target, input.referenceCount, input.hasNegative);
  const [lo, hi] = LATENCY_S[target.provider];
  return outcomes(rng, target.provider, input.count).map((o, index) => {
    const s = 1000;
    // Two worker slots (WORKER_CONCURRENCY default): slot n starts after about n/2 others.
    const startedMs = Math.round(rng.between(0.05, 0.8) * s + Math.floor((input.queuePosition + index) / 2) * rng.between(0.5, 2) * s);
    const latency = rng.between(lo, hi) * s;
    const upload = target.provider === 'offline' ? 10 : rng.between(0.3, 2.5) * s;
    const early = o.status === 'failed' && o.blocked === 'input';
    let submittedMs: number | null = early ? null : Math.round(startedMs + upload);
    let finishedMs: number;
    let attempt = 0;
    if (o.code === 'rate_limited') {
      attempt = 2;
      submittedMs = null;
      finishedMs = startedMs + rng.between(8, 40) * s;
    } else if (early) finishedMs = startedMs + rng.between(0.3, 2) * s;
    else if (o.code === 'timeout') finishedMs = submittedMs! + 300 * s + rng.between(0, 3) * s;
    else if (o.code === 'provider_error') finishedMs = submittedMs! + latency * rng.between(0.2, 0.8);
    else if (o.status === 'cancelled') finishedMs = startedMs + latency * rng.between(0.1, 0.6);
    else finishedMs = submittedMs! + latency;
    if (o.status === 'succeeded' && rng.chance(0.03)) attempt = 1; // retried once after a 5xx
    const ok = o.status === 'succeeded';
    const code = o.code;
    const message =
      code === null
        ? null
        : code === 'cancelled'
          ? 'Cancelled before it finished.'
          : code === 'content_policy'
            ? FAILURES.content_policy[o.blocked === 'input' ? 0 : 1]
            : rng.pick(FAILURES[code]);
    return {
      id: input.newId(),
      runId: input.runId,
      targetId: target.id,
      provider: target.provider,
      model: target.model,
      index,
      seed: (input.runSeed + index) % (MAX_SEED + 1),
      status: o.status,
      jobId: submittedMs === null ? null : jobId(rng, target.provider),
      attempt,
      startedMs,
      submittedMs,
      finishedMs: Math.round(finishedMs),
      ...(ok ? cost(rng, target) : { costUsd: null, costSource: null }),
      errorCode: code,
      errorMessage: message,
      adaptations,
      outputAssetId: ok ? rng.pick(input.outputAssetIds) : null,
      starred: ok && rng.chance(0.04) ? 1 : 0,
      rating:
        ok && rng.chance(0.08)
          ? rng.weighted([
              [5, 3],
              [4, 4],
              [3, 2],
              [2, 1],
              [1, 0.5],
            ] as const)
          : null,
      note: ok && rng.chance(0.015) ? rng.pick(VARIATION_NOTES) : '',
      deleted: input.allowDeleted && rng.chance(0.004),
    };
  });
}
