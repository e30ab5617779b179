import 'server-only';
import type { ProvenanceOffer } from '@/lib/schemas/export';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { readProvenance } from '../export/provenance';
import { inWorkspace } from '../services/scope';

/**
 * Drop-back: an image exported from Proofsheet carries its provenance (export/provenance.ts).
 * Read from the uploaded bytes before the upload pipeline strips metadata, so the composer
 * can offer to open its history entry or reuse its settings. `known` says whether the
 * variation is still in this workspace (not deleted); the rest comes from the file itself.
 */
export async function recogniseUpload(ctx: Ctx, bytes: Buffer): Promise<ProvenanceOffer | null> {
  const p = readProvenance(bytes);
  if (!p) return null;
  const row = await db().variation.findFirst({
    where: {
      id: p.variationId,
      deletedAt: null,
      AND: [inWorkspace.variation(ctx), { run: { deletedAt: null, session: { deletedAt: null } } }],
    },
    select: { id: true, runId: true, run: { select: { sessionId: true } } },
  });
  return {
    variationId: p.variationId,
    // The workspace's own ids win over what a file says (they agree unless the file was edited).
    runId: row?.runId ?? p.runId,
    sessionId: row?.run.sessionId ?? p.sessionId,
    instruction: p.instruction,
    negativePrompt: p.negativePrompt,
    provider: p.provider,
    model: p.model,
    targetId: p.targetId,
    seed: p.seed,
    parameters: p.parameters,
    known: row !== null,
  };
}
