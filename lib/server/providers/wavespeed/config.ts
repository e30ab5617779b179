import 'server-only';
import { env } from '../../env';
import { defineProvider } from '../define-provider';
import { createWaveSpeedAdapter } from './adapter';
import { WAVESPEED_DEFAULT_BASE_URL } from './wire';

/** WAVESPEED_API_KEY, WAVESPEED_BASE_URL. */
export const wavespeedProvider = defineProvider({
  id: 'wavespeed',
  // Documented default-tier concurrency (https://wavespeed.ai/docs/account-levels, Bronze: 2).
  concurrency: 2,
  create: () =>
    createWaveSpeedAdapter({ apiKey: env().WAVESPEED_API_KEY, baseUrl: env().WAVESPEED_BASE_URL ?? WAVESPEED_DEFAULT_BASE_URL }),
});
