'use server';

import type { ActionResult } from '@/lib/schemas/result';
import { abortLocal, wakeWorker } from '../jobs/worker';
import { cancelVariations } from '../runs/cancel';
import { rerunExactly, retryVariation, submitRun, type SubmitResult } from '../runs/submit';

export async function submitRunAction(input: unknown): Promise<ActionResult<SubmitResult>> {
  const result = await submitRun(input);
  if (result.ok) wakeWorker();
  return result;
}

export async function retryVariationAction(input: unknown): Promise<ActionResult<{ variationId: string }>> {
  const result = await retryVariation(input);
  if (result.ok) wakeWorker();
  return result;
}

export async function rerunAction(input: unknown): Promise<ActionResult<SubmitResult>> {
  const result = await rerunExactly(input);
  if (result.ok) wakeWorker();
  return result;
}

export async function cancelVariationsAction(input: unknown): Promise<ActionResult<{ count: number }>> {
  const result = await cancelVariations(input);
  // Work running in this process stops at once rather than at its next lease renewal.
  if (result.ok && typeof input === 'object' && input && 'variationIds' in input) {
    for (const id of (input as { variationIds: unknown[] }).variationIds) if (typeof id === 'string') abortLocal(id);
  }
  return result;
}
