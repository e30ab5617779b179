import 'server-only';
import { env } from '../../env';
import { defineProvider } from '../define-provider';
import { createModelsLabAdapter } from './adapter';
import { MODELSLAB_DEFAULT_BASE_URL } from './wire';

/** MODELSLAB_API_KEY, MODELSLAB_BASE_URL, MODELSLAB_EDIT_PATH and MODELSLAB_MODEL_ID (the Wan target's unverified defaults). */
export const modelslabProvider = defineProvider({
  id: 'modelslab',
  create: () =>
    createModelsLabAdapter({
      apiKey: env().MODELSLAB_API_KEY,
      baseUrl: env().MODELSLAB_BASE_URL ?? MODELSLAB_DEFAULT_BASE_URL,
      options: { editPath: env().MODELSLAB_EDIT_PATH, modelId: env().MODELSLAB_MODEL_ID },
    }),
});
