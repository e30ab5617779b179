import 'server-only';
import { env } from '../../env';
import { defineProvider } from '../define-provider';
import { createStabilityAdapter } from './adapter';
import { STABILITY_DEFAULT_BASE_URL } from './wire';

/** STABILITY_API_KEY, STABILITY_BASE_URL. */
export const stabilityProvider = defineProvider({
  id: 'stability',
  create: () =>
    createStabilityAdapter({ apiKey: env().STABILITY_API_KEY, baseUrl: env().STABILITY_BASE_URL ?? STABILITY_DEFAULT_BASE_URL }),
});
