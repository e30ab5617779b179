import { selectionBodySchema, selectionQuerySchema } from '@/lib/schemas/export';
import { planSelectionExport } from '@/lib/server/export/load';
import { exportCheck, exportZipResponse } from '@/lib/server/export/zip';
import { defineRoute } from '@/lib/server/route';

export const runtime = 'nodejs';

/**
 * Any selection of variations as a zip. GET `?ids=a,b,c` is what the studio's download link
 * uses (a plain navigation streams straight to disk); POST `{ variationIds }` is for scripts.
 */
export const GET = defineRoute({ name: 'export.selection', query: selectionQuerySchema }, async (ctx, { query }) => {
  const plan = await planSelectionExport(ctx, query.ids);
  return query.check ? exportCheck(plan) : exportZipResponse(plan);
});

export const POST = defineRoute({ name: 'export.selection', body: selectionBodySchema }, async (ctx, { body }) =>
  exportZipResponse(await planSelectionExport(ctx, body.variationIds)),
);
