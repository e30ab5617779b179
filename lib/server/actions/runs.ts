'use server';

import type { ActionResult } from '@/lib/schemas/result';
import { wakeWorker } from '../jobs/worker';
import { rerunExactly, retryVariation, submitRun } from '../runs/submit';

export async function submitRunAction(input: unknown): Promise<ActionResult<{ runId: string; number: number; variationIds: string[] }>> {
  const result = await submitRun(input);
  if (result.ok) wakeWorker();
  return result;
}

export async function retryVariationAction(input: unknown): Promise<ActionResult<{ variationId: string }>> {
  const result = await retryVariation(input);
  if (result.ok) wakeWorker();
  return result;
}

export async function rerunAction(input: unknown): Promise<ActionResult<{ runId: string; number: number; variationIds: string[] }>> {
  const result = await rerunExactly(input);
  if (result.ok) wakeWorker();
  return result;
}
