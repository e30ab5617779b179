'use server';

import { probeInputSchema, runProbeSchema } from '@/lib/schemas/ledger-stats';
import { defineAction } from '@/lib/server/action';
import { estimateProbe, runProbe } from '@/lib/server/ledger/probe';

export const estimateProbeAction = defineAction('estimateProbe', probeInputSchema, estimateProbe);
export const runProbeAction = defineAction('runProbe', runProbeSchema, runProbe);
