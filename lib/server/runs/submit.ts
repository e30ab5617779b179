import 'server-only';
import { z } from 'zod';
import { findTarget, PROVIDERS } from '@/lib/providers/catalog';
import { fail, type ActionResult } from '@/lib/schemas/result';
import { submitRunSchema, type RunParams } from '@/lib/schemas/run';
import { MAX_SEED } from '@/lib/schemas/run';
import { db } from '../db/client';
import { newId } from '../ids';
import { getAdapter } from '../providers/registry';
import { DEFAULT_SESSION_TITLE } from '../queries/sessions';

export type SubmitResult = { runId: string; number: number; sessionTitle: string; variationIds: string[] };

/**
 * Writes the run, its ordered references and one queued variation per target × count in a
 * single transaction, snapshotting exactly what was submitted. Returns at once; the worker
 * does the rest. Bad input changes nothing.
 */
export async function submitRun(raw: unknown): Promise<ActionResult<SubmitResult>> {
  const parsed = submitRunSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.') || 'form', i.message]));
    return fail('invalid_input', parsed.error.issues[0]?.message ?? 'Invalid input.', fields);
  }
  const input = parsed.data;

  const targets = input.targets.map((id) => ({ id, target: findTarget(id) }));
  const unknown = targets.find((t) => !t.target);
  if (unknown) return fail('invalid_input', `Unknown target “${unknown.id}”.`, { targets: 'Unknown target.' });
  for (const { target } of targets) {
    if (!getAdapter(target!.provider)?.configured()) {
      const info = PROVIDERS[target!.provider];
      return fail('not_configured', `${target!.label} is not available: add ${info.envKey} to .env.`, { targets: 'Not configured.' });
    }
  }

  const session = await db().session.findFirst({ where: { id: input.sessionId, deletedAt: null }, select: { id: true, title: true } });
  if (!session) return fail('not_found', 'This session no longer exists.');
  const assets = await db().asset.findMany({ where: { id: { in: input.referenceIds } }, select: { id: true } });
  if (assets.length !== new Set(input.referenceIds).size) return fail('invalid_input', 'A reference image was not found; upload it again.');
  if (input.parentVariationId) {
    const parent = await db().variation.findUnique({ where: { id: input.parentVariationId }, select: { id: true } });
    if (!parent) return fail('invalid_input', 'The variation this run starts from no longer exists.');
  }
  if (input.sourceRunId) {
    const source = await db().run.findFirst({ where: { id: input.sourceRunId, sessionId: session.id }, select: { id: true } });
    if (!source) return fail('invalid_input', 'The run being repeated is not in this session.');
  }

  const runId = newId();
  const params: RunParams = {
    count: input.count,
    seed: input.seed,
    size: input.size,
    format: input.format,
    strength: input.strength,
    guidance: input.guidance,
  };
  const variations = targets.flatMap(({ target }) =>
    Array.from({ length: input.count }, (_, index) => ({
      id: newId(),
      runId,
      targetId: target!.id,
      provider: target!.provider,
      model: target!.model,
      index,
      // Same seeds on every target, so providers are compared on equal terms.
      seed: (input.seed + index) % (MAX_SEED + 1),
    })),
  );
  const now = new Date();
  // A new session takes its name from its first instruction.
  const sessionTitle = session.title === DEFAULT_SESSION_TITLE ? titleFrom(input.instruction) : session.title;
  const insertRun = async (number: number) => {
    await db().$transaction([
      db().run.create({
        data: {
          id: runId,
          number,
          sourceRunId: input.sourceRunId ?? null,
          sourceKind: input.sourceRunId ? (input.sourceKind ?? 'tweak') : null,
          sessionId: session.id,
          instruction: input.instruction,
          negativePrompt: input.negativePrompt,
          params: JSON.stringify(params),
          targets: JSON.stringify(input.targets),
          parentVariationId: input.parentVariationId ?? null,
          createdAt: now,
          references: { create: input.referenceIds.map((assetId, position) => ({ assetId, position })) },
        },
      }),
      db().variation.createMany({ data: variations.map((v) => ({ ...v, queuedAt: now })) }),
      db().session.update({
        where: { id: session.id },
        data: { title: sessionTitle, updatedAt: now },
      }),
    ]);
  };
  // Run numbers are unique per session; two submits racing for the same number retry.
  let number = 0;
  for (let attempt = 0; ; attempt++) {
    const { _max } = await db().run.aggregate({ where: { sessionId: session.id }, _max: { number: true } });
    number = (_max.number ?? 0) + 1;
    try {
      await insertRun(number);
      break;
    } catch (e) {
      if (attempt < 4 && (e as { code?: string }).code === 'P2002') continue;
      throw e;
    }
  }
  return { ok: true, data: { runId, number, sessionTitle, variationIds: variations.map((v) => v.id) } };
}

function titleFrom(instruction: string): string {
  const line = instruction.split('\n')[0]!.trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

export const retrySchema = z.object({ variationId: z.string().min(1).max(64) });

/** Puts a failed or cancelled variation back in the queue as a fresh attempt. */
export async function retryVariation(raw: unknown): Promise<ActionResult<{ variationId: string }>> {
  const parsed = retrySchema.safeParse(raw);
  if (!parsed.success) return fail('invalid_input', 'Which variation?');
  const { count } = await db().variation.updateMany({
    where: { id: parsed.data.variationId, status: { in: ['failed', 'cancelled'] } },
    data: {
      status: 'queued',
      attempt: 0,
      jobId: null,
      jobHandle: null,
      errorCode: null,
      errorMessage: null,
      notBefore: null,
      queuedAt: new Date(),
      startedAt: null,
      submittedAt: null,
      finishedAt: null,
      outputAssetId: null,
    },
  });
  if (count === 0) return fail('conflict', 'Only failed or cancelled variations can be retried.');
  return { ok: true, data: { variationId: parsed.data.variationId } };
}

/** Re-run exactly: same references, instruction, parameters, targets and seeds, as a new run. */
export async function rerunExactly(raw: unknown): Promise<ActionResult<SubmitResult>> {
  const parsed = z.object({ runId: z.string().min(1).max(64) }).safeParse(raw);
  if (!parsed.success) return fail('invalid_input', 'Which run?');
  const run = await db().run.findFirst({
    where: { id: parsed.data.runId, deletedAt: null },
    include: { references: { orderBy: { position: 'asc' } } },
  });
  if (!run) return fail('not_found', 'That run no longer exists.');
  const params = JSON.parse(run.params) as RunParams;
  return submitRun({
    sessionId: run.sessionId,
    instruction: run.instruction,
    negativePrompt: run.negativePrompt,
    referenceIds: run.references.map((r) => r.assetId),
    targets: JSON.parse(run.targets) as string[],
    ...params,
    parentVariationId: run.parentVariationId ?? undefined,
    sourceRunId: run.id,
    sourceKind: 'rerun',
  });
}
