import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { runEngine } from '../../engine';
import { ProviderError } from '../errors';
import type { ProviderAdapter } from '../types';

/**
 * The built-in engine behind the same interface as every vendor, so the queue, retries and
 * storage treat it no differently. It is synchronous: submit() returns the image.
 */
export function createOfflineAdapter(options: { delayMs?: number } = {}): ProviderAdapter {
  return {
    id: 'offline',
    deadlineMs: 120_000,
    resumable: true,
    configured: () => true,
    async submit(req, ctx) {
      // Simulated latency for demos and for the restart-mid-run test (ENGINE_DELAY_MS).
      if (options.delayMs) await sleep(options.delayMs, undefined, { signal: ctx.signal }).catch(() => {});
      if (ctx.signal.aborted) throw new ProviderError({ code: 'interrupted', message: 'Cancelled.' });
      const result = await runEngine({
        instruction: req.prompt,
        negativePrompt: req.negativePrompt,
        seed: req.seed,
        images: req.images.map((i) => ({ bytes: i.bytes, width: i.width, height: i.height })),
        size: req.size,
        outputFormat: req.outputFormat,
      });
      if (!result.ok) throw new ProviderError({ code: 'bad_input', message: result.message });
      return {
        kind: 'done',
        images: [{ bytes: result.bytes, mime: result.mime }],
        usage: { costUsd: 0, details: { applied: result.applied.join('; '), notes: result.notes.join('; ') } },
      };
    },
    async poll() {
      throw new ProviderError({ code: 'provider_error', message: 'The offline engine has no jobs to poll.' });
    },
  };
}
