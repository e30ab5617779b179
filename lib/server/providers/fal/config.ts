import 'server-only';
import { env } from '../../env';
import { defineProvider } from '../define-provider';
import { createFalAdapter } from './adapter';
import { FAL_DEFAULT_QUEUE_URL } from './wire';

/** FAL_KEY, FAL_QUEUE_BASE_URL, FAL_STORAGE_BASE_URL. */
export const falProvider = defineProvider({
  id: 'fal',
  create: () =>
    createFalAdapter({
      apiKey: env().FAL_KEY,
      baseUrl: env().FAL_QUEUE_BASE_URL ?? FAL_DEFAULT_QUEUE_URL,
      options: { storageBaseUrl: env().FAL_STORAGE_BASE_URL },
    }),
});
