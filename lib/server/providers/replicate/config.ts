import 'server-only';
import { env } from '../../env';
import { defineProvider } from '../define-provider';
import { createReplicateAdapter } from './adapter';
import { REPLICATE_DEFAULT_BASE_URL } from './wire';

/** REPLICATE_API_TOKEN, REPLICATE_BASE_URL, REPLICATE_WAIT_SECONDS. */
export const replicateProvider = defineProvider({
  id: 'replicate',
  create: () =>
    createReplicateAdapter({
      apiKey: env().REPLICATE_API_TOKEN,
      baseUrl: env().REPLICATE_BASE_URL ?? REPLICATE_DEFAULT_BASE_URL,
      options: { waitSeconds: String(env().REPLICATE_WAIT_SECONDS) },
    }),
});
