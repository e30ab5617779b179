import 'server-only';
import { env } from '../../env';
import { defineProvider } from '../define-provider';
import { createTogetherAdapter } from './adapter';
import { TOGETHER_DEFAULT_BASE_URL } from './wire';

/** TOGETHER_API_KEY, TOGETHER_BASE_URL, TOGETHER_RESPONSE_FORMAT, TOGETHER_IMAGE_TRANSPORT. */
export const togetherProvider = defineProvider({
  id: 'together',
  create: () =>
    createTogetherAdapter({
      apiKey: env().TOGETHER_API_KEY,
      baseUrl: env().TOGETHER_BASE_URL ?? TOGETHER_DEFAULT_BASE_URL,
      options: { responseFormat: env().TOGETHER_RESPONSE_FORMAT, imageTransport: env().TOGETHER_IMAGE_TRANSPORT },
    }),
});
