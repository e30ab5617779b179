import 'server-only';
import { env } from '../../env';
import { defineProvider } from '../define-provider';
import { createComfyuiAdapter } from './adapter';

/** COMFYUI_BASE_URL and COMFYUI_WORKFLOW turn it on; COMFYUI_API_KEY only for a proxy in front. */
export const comfyuiProvider = defineProvider({
  id: 'comfyui',
  create: () =>
    createComfyuiAdapter({
      apiKey: env().COMFYUI_API_KEY,
      baseUrl: env().COMFYUI_BASE_URL ?? '',
      options: { workflow: env().COMFYUI_WORKFLOW },
    }),
});
