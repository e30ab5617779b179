import 'server-only';
import { env } from '../../env';
import { defineProvider } from '../define-provider';
import { createOfflineAdapter } from './adapter';

/** ENGINE_DELAY_MS simulates latency; the engine runs on this machine, as wide as the worker allows. */
export const offlineProvider = defineProvider({
  id: 'offline',
  concurrency: () => Math.max(1, env().WORKER_CONCURRENCY),
  create: () => createOfflineAdapter({ delayMs: env().ENGINE_DELAY_MS }),
});
