import 'server-only';
import { env } from '../../env';
import { defineProvider } from '../define-provider';
import { createDashScopeAdapter } from './adapter';

/** DASHSCOPE_API_KEY, DASHSCOPE_BASE_URL, DASHSCOPE_REGION. */
export const dashscopeProvider = defineProvider({
  id: 'dashscope',
  // Documented default-tier concurrency.
  concurrency: 2,
  // An empty base URL lets the adapter pick the regional host from DASHSCOPE_REGION.
  create: () =>
    createDashScopeAdapter({
      apiKey: env().DASHSCOPE_API_KEY,
      baseUrl: env().DASHSCOPE_BASE_URL ?? '',
      options: { region: env().DASHSCOPE_REGION },
    }),
});
