import { z } from 'zod';
import { batchZipResponse } from '@/lib/server/batches/export';
import { defineRoute } from '@/lib/server/route';

export const runtime = 'nodejs';
export const GET = defineRoute({ name: 'batches.export', params: z.object({ id: z.string().min(1).max(64) }) }, (ctx, { params }) =>
  batchZipResponse(ctx, params.id),
);
