'use server';

import { addSafetyRuleSchema, removeSafetyRuleSchema } from '@/lib/schemas/safety';
import { defineAction } from '../action';
import { addSafetyRule, removeSafetyRule } from '../safety/service';

export const addSafetyRuleAction = defineAction('addSafetyRule', addSafetyRuleSchema, addSafetyRule);
export const removeSafetyRuleAction = defineAction('removeSafetyRule', removeSafetyRuleSchema, removeSafetyRule);
