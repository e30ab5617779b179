'use server';

import { createTokenSchema, revokeTokenSchema } from '@/lib/schemas/api';
import { defineAction } from '@/lib/server/action';
import { createToken, revokeToken } from '@/lib/server/services/tokens';

export const createTokenAction = defineAction('createToken', createTokenSchema, createToken);
export const revokeTokenAction = defineAction('revokeToken', revokeTokenSchema, revokeToken);
