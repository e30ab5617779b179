/**
 * Builds every row of the large data set in memory (no I/O): ~120 sessions of bursty work
 * over half a year, one of them the 1,000-variation session the history benchmark pages.
 */
import { MAX_SEED } from '@/lib/schemas/run';
import type { CatalogTarget } from '@/lib/providers/catalog';
import { INSTRUCTIONS, LARGE_SESSION_TITLE, NEGATIVE_PROMPTS, RUN_NOTES, SESSION_NOTES, SESSION_TOPICS } from './content.mts';
import { planTargetVariations, type PlannedVariation } from './outcome.mts';
import type { Rng } from './rng.mts';
import { sqlDate, type RunRow, type SeedRows, type SessionRow, type VariationRow } from './rows.mts';

export type SeedScale = {
  /** Sessions in all, the large one and two empty ones included. */
  sessions: number;
  /** Variations across every session but the large one (approximate). */
  otherVariations: number;
  large: { runs: number; targets: number; count: number; deletedRuns: number };
};

export const DEFAULT_SCALE: SeedScale = {
  sessions: 120,
  otherVariations: 8500,
  large: { runs: 250, targets: 2, count: 2, deletedRuns: 10 },
};

export type PlanInput = {
  rng: Rng;
  newId: () => string;
  now: number;
  catalog: readonly CatalogTarget[];
  referenceAssetIds: readonly string[];
  outputAssetIds: readonly string[];
  scale?: SeedScale;
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Longer than any successful variation takes here, so a fork's parent has finished first. */
const MIN_GAP = 2 * MINUTE;

type PlannedRun = {
  row: Omit<RunRow, 'createdAt' | 'deletedAt' | 'number'>;
  t: number;
  deleted: boolean;
  refs: string[];
  variations: PlannedVariation[];
};

type SessionSpec = {
  title: string | null;
  start: number;
  end: number;
  variations: number;
  fixed?: SeedScale['large'];
  allowDeleted: boolean;
};

/** Popular targets get picked more, as people settle on a few favourites. */
function targetWeight(t: CatalogTarget): number {
  return (
    {
      offline: 3,
      wavespeed: 3,
      fal: 3,
      replicate: 2.5,
      openai: 2.5,
      dashscope: 1.5,
      together: 1.5,
      stability: 1.2,
      kie: 1,
      atlascloud: 1,
      modelslab: 0.8,
      comfyui: 0.6,
    } as const
  )[t.provider];
}

function palette(rng: Rng, catalog: readonly CatalogTarget[], n: number): CatalogTarget[] {
  const chosen: CatalogTarget[] = [];
  while (chosen.length < Math.min(n, catalog.length)) {
    const t = rng.weighted(catalog.filter((c) => !chosen.includes(c)).map((c) => [c, targetWeight(c)] as const));
    chosen.push(t);
  }
  return chosen;
}

function titleFrom(instruction: string): string {
  return instruction.length > 60 ? `${instruction.slice(0, 57)}…` : instruction;
}

function planRuns(p: PlanInput, spec: SessionSpec, sessionId: string): PlannedRun[] {
  const { rng } = p;
  const targets = spec.fixed ? palette(rng, p.catalog, spec.fixed.targets) : palette(rng, p.catalog, rng.int(2, 5));
  const refPool = rng.sample(p.referenceAssetIds, rng.int(1, 4));
  const runs: PlannedRun[] = [];
  let made = 0;
  let t = 0;
  // The large session's live run count is exact; which of its runs are deleted is random.
  const fixedTotal = spec.fixed ? spec.fixed.runs + spec.fixed.deletedRuns : 0;
  const fixedDeleted = new Set(spec.fixed ? rng.sample([...Array(fixedTotal).keys()], spec.fixed.deletedRuns) : []);
  while (spec.fixed ? runs.length < fixedTotal : made < spec.variations) {
    // Bursts of work: mostly minutes apart, sometimes the next day.
    t += rng.weighted([
      [rng.between(0.5, 6) * MINUTE, 0.72],
      [rng.between(1, 8) * HOUR, 0.23],
      [rng.between(1, 5) * DAY, 0.05],
    ] as const);
    const earlier = runs.filter((r) => !r.deleted);
    const parents = earlier.flatMap((r) => r.variations.filter((v) => v.status === 'succeeded' && !v.deleted));
    const fork = earlier.length > 2 && parents.length > 0 && rng.chance(0.1) ? rng.pick(parents) : null;
    const source = !fork && earlier.length > 1 && rng.chance(0.08) ? rng.pick(earlier) : null;
    const sourceKind = source ? rng.pick(['rerun', 'tweak'] as const) : null;

    let picked: CatalogTarget[];
    let params: { count: number; seed: number; size: string; format: 'png' | 'jpeg'; strength?: number; guidance?: number };
    let instruction: string;
    let negativePrompt: string;
    if (source) {
      // Reopened form: a rerun changes nothing, a tweak changes one thing.
      const prior = JSON.parse(source.row.params) as typeof params;
      picked = (JSON.parse(source.row.targets) as string[]).map((id) => p.catalog.find((c) => c.id === id)!);
      params = { ...prior };
      instruction = source.row.instruction;
      negativePrompt = source.row.negativePrompt;
      if (sourceKind === 'tweak') {
        if (rng.chance(0.5))
          instruction = `${instruction}, ${rng.pick(['softer light', 'more contrast', 'keep the label sharp', 'less saturated', 'wider framing'])}`;
        else params.seed = rng.int(0, MAX_SEED);
      }
    } else {
      picked = spec.fixed
        ? targets
        : rng.sample(
            targets,
            rng.weighted([
              [1, 0.5],
              [2, 0.35],
              [3, 0.15],
            ] as const),
          );
      const count = spec.fixed
        ? spec.fixed.count
        : rng.weighted([
            [1, 0.3],
            [2, 0.4],
            [3, 0.08],
            [4, 0.22],
          ] as const);
      params = {
        count,
        seed: rng.int(0, MAX_SEED),
        size: rng.chance(0.8) ? 'auto' : '1024x1024',
        format: rng.chance(0.85) ? 'png' : 'jpeg',
      };
      if (picked.some((c) => c.capabilities.strength) && rng.chance(0.3)) params.strength = rng.pick([0.5, 0.65, 0.75, 0.85]);
      if (picked.some((c) => c.capabilities.guidance) && rng.chance(0.25)) params.guidance = rng.pick([2.5, 3.5, 5, 7]);
      instruction = rng.pick(INSTRUCTIONS);
      negativePrompt = rng.chance(0.12) ? rng.pick(NEGATIVE_PROMPTS) : '';
    }
    const refs = fork
      ? [fork.outputAssetId!, ...rng.sample(refPool, rng.int(0, 1))]
      : rng.sample(
          refPool,
          rng.weighted([
            [1, 0.6],
            [2, 0.3],
            [3, 0.1],
          ] as const),
        );
    const id = p.newId();
    const deleted = spec.fixed ? fixedDeleted.has(runs.length) : spec.allowDeleted && rng.chance(0.03);
    const variations = picked.flatMap((target, i) =>
      planTargetVariations({
        rng,
        newId: p.newId,
        runId: id,
        target,
        count: params.count,
        runSeed: params.seed,
        referenceCount: refs.length,
        hasNegative: negativePrompt !== '',
        queuePosition: i * params.count,
        outputAssetIds: p.outputAssetIds,
        allowDeleted: spec.allowDeleted && !spec.fixed,
      }),
    );
    runs.push({
      row: {
        id,
        sessionId,
        instruction,
        negativePrompt,
        params: JSON.stringify(params),
        targets: JSON.stringify(picked.map((c) => c.id)),
        parentVariationId: fork?.id ?? null,
        sourceRunId: source?.row.id ?? null,
        sourceKind,
        starred: rng.chance(0.03) ? 1 : 0,
        rating: rng.chance(0.03) ? rng.int(2, 5) : null,
        note: rng.chance(0.04) ? rng.pick(RUN_NOTES) : '',
      },
      t,
      deleted,
      refs,
      variations,
    });
    if (!deleted) made += variations.length;
  }
  return runs;
}

function addSession(p: PlanInput, out: SeedRows, spec: SessionSpec): string {
  const { rng } = p;
  const id = p.newId();
  const runs = planRuns(p, spec, id);
  const last = runs.at(-1)?.t ?? 0;
  // Squeeze the session into its time window, never closer than MIN_GAP between runs.
  const scale = last > 0 ? Math.min(1, (spec.end - spec.start) / last) : 1;
  let at = spec.start;
  let prevT = 0;
  for (const [i, run] of runs.entries()) {
    at += Math.max(MIN_GAP, (run.t - prevT) * scale);
    prevT = run.t;
    // Never in the future; runs squeezed against "now" stay a second apart, in order.
    const createdAt = Math.min(at, p.now - MINUTE - (runs.length - i) * 1000);
    out.runs.push({
      ...run.row,
      number: i + 1,
      createdAt: sqlDate(createdAt),
      deletedAt: run.deleted ? sqlDate(Math.min(p.now, createdAt + rng.between(1, 3 * 24 * 60) * MINUTE)) : null,
    });
    for (const [position, assetId] of run.refs.entries()) out.references.push({ runId: run.row.id, position, assetId, role: '' });
    for (const v of run.variations) {
      const { startedMs, submittedMs, finishedMs, deleted, ...rest } = v;
      const row: VariationRow = {
        ...rest,
        queuedAt: sqlDate(createdAt),
        startedAt: sqlDate(createdAt + startedMs),
        submittedAt: submittedMs === null ? null : sqlDate(createdAt + submittedMs),
        finishedAt: sqlDate(createdAt + finishedMs),
        deletedAt: deleted ? sqlDate(Math.min(p.now, createdAt + finishedMs + HOUR)) : null,
      };
      out.variations.push(row);
    }
  }
  const firstAt = runs.length > 0 ? Date.parse(out.runs[out.runs.length - runs.length]!.createdAt) : spec.start;
  const lastAt = runs.length > 0 ? Date.parse(out.runs.at(-1)!.createdAt) : spec.start;
  const first = runs[0]?.row.instruction;
  const row: SessionRow = {
    id,
    title: spec.title ?? (first ? titleFrom(first) : 'Untitled session'),
    notes: rng.chance(0.15) ? rng.pick(SESSION_NOTES) : '',
    createdAt: sqlDate(firstAt - rng.between(5, 120) * 1000),
    updatedAt: sqlDate(lastAt),
    archivedAt: null,
    deletedAt: null,
  };
  if (spec.allowDeleted && !spec.fixed) {
    const r = rng.next();
    if (r < 0.05) row.deletedAt = sqlDate(Math.min(p.now, lastAt + rng.between(1, 20) * DAY));
    else if (r < 0.12) row.archivedAt = sqlDate(Math.min(p.now, lastAt + rng.between(1, 30) * DAY));
  }
  out.sessions.push(row);
  return id;
}

export function planSeed(p: PlanInput): SeedRows {
  const { rng, now } = p;
  const scale = p.scale ?? DEFAULT_SCALE;
  const out: SeedRows = { sessions: [], runs: [], references: [], variations: [], tray: [], largeSessionId: '' };
  const large = scale.large.runs * scale.large.targets * scale.large.count;
  out.largeSessionId = addSession(p, out, {
    title: LARGE_SESSION_TITLE,
    start: now - 21 * DAY,
    end: now - 2 * HOUR,
    variations: large,
    fixed: scale.large,
    allowDeleted: false,
  });

  const others = Math.max(0, scale.sessions - 3);
  // Skewed sizes: most sessions are a handful of runs, a few are long campaigns.
  const weights = Array.from({ length: others }, () => 0.1 + rng.next() ** 3 * 6);
  const sum = weights.reduce((a, b) => a + b, 0);
  weights.forEach((w, i) => {
    const variations = Math.max(2, Math.round((scale.otherVariations * w) / sum));
    // Old enough to hold its runs (about 3 variations each) at least two MIN_GAPs apart.
    const start = now - Math.max(rng.between(1, 200) * DAY, (variations / 3) * 2 * MIN_GAP + 2 * HOUR);
    const title = rng.chance(0.45)
      ? `${SESSION_TOPICS[i % SESSION_TOPICS.length]}${i >= SESSION_TOPICS.length ? ` (${Math.floor(i / SESSION_TOPICS.length) + 1})` : ''}`
      : null;
    addSession(p, out, { title, start, end: Math.min(now - HOUR, start + rng.between(0.2, 20) * DAY), variations, allowDeleted: true });
  });
  // Fresh installs and abandoned tabs leave empty "Untitled session"s behind.
  for (let i = 0; i < Math.min(2, scale.sessions - 1); i++) {
    const at = now - rng.between(0.5, 60) * DAY;
    out.sessions.push({
      id: p.newId(),
      title: 'Untitled session',
      notes: '',
      createdAt: sqlDate(at),
      updatedAt: sqlDate(at),
      archivedAt: null,
      deletedAt: null,
    });
  }
  out.tray = planTray(p, out);
  return out;
}

/** A few starred outputs set aside to compare, one per distinct image (TrayItem.assetId is unique). */
function planTray(p: PlanInput, out: SeedRows): SeedRows['tray'] {
  const seen = new Set<string>();
  const tray: SeedRows['tray'] = [];
  for (const v of out.variations) {
    if (tray.length >= 6) break;
    if (!v.starred || !v.outputAssetId || v.deletedAt || seen.has(v.outputAssetId)) continue;
    seen.add(v.outputAssetId);
    tray.push({
      id: p.newId(),
      assetId: v.outputAssetId,
      variationId: v.id,
      addedAt: sqlDate(Math.min(p.now, Date.parse(v.finishedAt!) + 10 * MINUTE)),
    });
  }
  return tray;
}
