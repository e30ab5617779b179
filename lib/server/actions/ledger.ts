'use server';

import { estimateInputSchema, priceHistorySchema, setBudgetSchema, setPriceSchema } from '@/lib/schemas/ledger';
import { defineAction } from '../action';
import { setBudget } from '../ledger/budget';
import { previewRun } from '../ledger/budget-gate';
import { priceHistory, setPrice } from '../ledger/prices';

export const previewEstimateAction = defineAction('previewEstimate', estimateInputSchema, previewRun);
export const setPriceAction = defineAction('setPrice', setPriceSchema, (ctx, input) => setPrice(ctx, input));
export const priceHistoryAction = defineAction('priceHistory', priceHistorySchema, priceHistory);
export const setBudgetAction = defineAction('setBudget', setBudgetSchema, setBudget);
