import 'server-only';
import { env } from '../../env';
import { defineProvider } from '../define-provider';
import { createOpenAIAdapter } from './adapter';
import { OPENAI_DEFAULT_BASE_URL } from './wire';

/** OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_QUALITY. */
export const openaiProvider = defineProvider({
  id: 'openai',
  create: () =>
    createOpenAIAdapter({
      apiKey: env().OPENAI_API_KEY,
      baseUrl: env().OPENAI_BASE_URL ?? OPENAI_DEFAULT_BASE_URL,
      options: { quality: env().OPENAI_QUALITY },
    }),
});
