import 'server-only';
import sharp from 'sharp';
import { findTarget } from '@/lib/providers/catalog';
import type { EstimateView } from '@/lib/schemas/ledger';
import type { ProbeInput } from '@/lib/schemas/ledger-stats';
import { MAX_VARIATIONS } from '@/lib/schemas/limits';
import { storeAsset } from '../assets';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { AppError } from '../errors';
import { prepareImage } from '../images/prepare';
import { submitRun } from '../services/runs';
import { inWorkspace } from '../services/scope';
import { createSession } from '../services/sessions';
import { previewRun } from './budget-gate';

export const PROBE_SESSION_TITLE = 'Probes';
/** One small, fixed edit: every probe asks every target for the same thing, so runs compare. */
export const PROBE_INSTRUCTION = 'Replace the background with plain white; keep the object unchanged.';
const PROBE_SEED = 1;
const PROBE_SIZE = 512;

/**
 * The built-in reference: a 512 px "product" (a teal disc with a shadow on a warm backdrop),
 * drawn by sharp so no binary ships in the repo. The same bytes every time, so it is stored
 * once (assets dedupe by content) and every probe uses the same asset.
 */
async function probeReference(): Promise<string> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${PROBE_SIZE}" height="${PROBE_SIZE}">
    <rect width="100%" height="100%" fill="#e9dcc9"/>
    <ellipse cx="256" cy="400" rx="150" ry="26" fill="#b9a68c"/>
    <circle cx="256" cy="250" r="140" fill="#0b7285"/>
    <circle cx="210" cy="200" r="38" fill="#66d9e8"/>
  </svg>`;
  const png = await sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toBuffer();
  const prepared = await prepareImage(png, 'probe-reference.png');
  if (!prepared.ok) throw new Error(`probe reference: ${prepared.error.message}`);
  return (await storeAsset(prepared.image, 'import')).id;
}

/** The workspace's "Probes" session (made on first use; a deleted one is not reused). */
async function probeSession(ctx: Ctx): Promise<string> {
  const found = await db().session.findFirst({
    where: { title: PROBE_SESSION_TITLE, deletedAt: null, ...inWorkspace.session(ctx) },
    orderBy: { createdAt: 'asc' },
    select: { id: true },
  });
  return found?.id ?? createSession(ctx, { title: PROBE_SESSION_TITLE });
}

function checkTargets(targets: string[]): void {
  const unknown = targets.find((id) => !findTarget(id));
  if (unknown) throw new AppError('invalid_input', `Unknown target “${unknown}”.`, { fields: { targets: 'Unknown target.' } });
}

/** What a probe would cost, with the budget's warnings or refusal: shown before it is confirmed. */
export async function estimateProbe(ctx: Ctx, input: ProbeInput): Promise<EstimateView> {
  checkTargets(input.targets);
  const referenceId = await probeReference();
  const sessionId = await probeSession(ctx);
  return previewRun(ctx, { targets: input.targets, count: input.count, size: 'auto', referenceIds: [referenceId], sessionId });
}

export type ProbeResult = { runIds: string[]; sessionId: string; variations: number; estimate: EstimateView };

/**
 * Runs the burn test: `count` identical small edits (same instruction, image and seeds) on each
 * chosen target, as runs of kind "probe" in the Probes session. Each run goes through
 * submitRun, so the safety pre-check and the budgets apply as to any run. A run holds at most
 * MAX_VARIATIONS per target (the stored parameters are checked against it), so 20 edits are
 * five runs: the whole probe's estimate is checked against the budgets first, so a probe is
 * refused before its first run rather than stopped halfway. `confirmedUsd` is the estimate
 * the person confirmed: if it would now cost more (a price changed), nothing is sent.
 */
export async function runProbe(ctx: Ctx, input: ProbeInput & { confirmedUsd: number | null }): Promise<ProbeResult> {
  checkTargets(input.targets);
  const referenceId = await probeReference();
  const sessionId = await probeSession(ctx);
  const estimate = await previewRun(ctx, {
    targets: input.targets,
    count: input.count,
    size: 'auto',
    referenceIds: [referenceId],
    sessionId,
  });
  if (estimate.refusal) throw new AppError('budget_exceeded', estimate.refusal);
  if (estimate.totalUsd !== null && (input.confirmedUsd === null || estimate.totalUsd > input.confirmedUsd + 1e-9)) {
    throw new AppError('conflict', `The estimate is now $${estimate.totalUsd.toFixed(4)}, more than the one confirmed; confirm it again.`);
  }
  const runIds: string[] = [];
  let variations = 0;
  for (let left = input.count; left > 0; left -= MAX_VARIATIONS) {
    const submitted = await submitRun(
      ctx,
      {
        sessionId,
        instruction: PROBE_INSTRUCTION,
        negativePrompt: '',
        referenceIds: [referenceId],
        targets: input.targets,
        count: Math.min(left, MAX_VARIATIONS),
        seed: PROBE_SEED,
        size: 'auto',
        format: 'png',
      },
      { kind: 'probe' },
    );
    runIds.push(submitted.runId);
    variations += submitted.variationIds.length;
  }
  return { runIds, sessionId, variations, estimate };
}
