'use server';

import { submitRunSchema } from '@/lib/schemas/run';
import { defineAction } from '../action';
import { rerunExactly, rerunSchema, retrySchema, retryVariation, submitRun } from '../services/runs';
import { cancelSchema, cancelVariations } from '../services/variations';

export const submitRunAction = defineAction('submitRun', submitRunSchema, submitRun);
export const retryVariationAction = defineAction('retryVariation', retrySchema, retryVariation);
export const rerunAction = defineAction('rerun', rerunSchema, rerunExactly);
export const cancelVariationsAction = defineAction('cancelVariations', cancelSchema, cancelVariations);
