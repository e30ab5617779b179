import 'server-only';
import { env } from '../../env';
import { defineProvider } from '../define-provider';
import { createKieAdapter } from './adapter';
import { KIE_DEFAULT_BASE_URL } from './wire';

/** KIE_API_KEY, KIE_BASE_URL, KIE_UPLOAD_BASE_URL (unset: the API host, then Kie's older upload host; see wire.ts `uploadBases`). */
export const kieProvider = defineProvider({
  id: 'kie',
  create: () =>
    createKieAdapter({
      apiKey: env().KIE_API_KEY,
      baseUrl: env().KIE_BASE_URL ?? KIE_DEFAULT_BASE_URL,
      options: { uploadBaseUrl: env().KIE_UPLOAD_BASE_URL },
    }),
});
