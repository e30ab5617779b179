// For tests: stored images and variations in the states the worker leaves them, on the database
// useTempDataDir pointed at. Import it after useTempDataDir, as the modules it uses are.
import 'server-only';
import sharp from 'sharp';
import { OFFLINE_TARGET_ID } from '@/lib/providers/catalog';
import { type AssetOrigin, storeAsset } from '../../assets';
import { ownerContext } from '../../context';
import { db } from '../../db/client';
import { prepareImage } from '../../images/prepare';
import { submitRun, submitRunSchema } from '../../services/runs';

/** A solid-colour PNG (64 px unless told), prepared and stored as an upload (or a provider's output) is. */
export async function storedImage(colour: string, origin: AssetOrigin = 'upload', { width = 64, height = 64 } = {}) {
  const png = await sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();
  const p = await prepareImage(png, 'x.png');
  if (!p.ok) throw new Error(p.error.message);
  return storeAsset(p.image, origin);
}

/** Marks a variation finished with a fresh solid-colour output, as the worker would; returns the output. */
export async function finishVariation(variationId: string, colour: string, extra: Record<string, unknown> = {}) {
  const out = await storedImage(colour);
  await db().variation.update({
    where: { id: variationId },
    data: { status: 'succeeded', outputAssetId: out.id, finishedAt: new Date(), ...extra },
  });
  return out;
}

/** The lease token leasedVariation gives its rows: pass it to recordFailure and the like. */
export const LEASE_TOKEN = 'tok';

/**
 * A one-variation offline run of the local owner's, then held as a worker holds it mid-job with
 * a paid vendor (`status`, `provider`, leased with LEASE_TOKEN): what the failure paths see.
 */
export async function leasedVariation(opts: {
  sessionId: string;
  referenceId: string;
  instruction: string;
  status: 'submitting' | 'running';
  provider: string;
}): Promise<string> {
  const input = submitRunSchema.parse({
    sessionId: opts.sessionId,
    instruction: opts.instruction,
    referenceIds: [opts.referenceId],
    targets: [OFFLINE_TARGET_ID],
    count: 1,
    seed: 1,
  });
  const id = (await submitRun(ownerContext(), input)).variationIds[0]!;
  await db().variation.update({
    where: { id },
    data: { status: opts.status, provider: opts.provider, leaseToken: LEASE_TOKEN, submittedAt: new Date() },
  });
  return id;
}
