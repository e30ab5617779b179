import { z } from 'zod';
import { galleryExportQuerySchema } from '@/lib/schemas/export';
import { planGalleryExport } from '@/lib/server/export/load';
import { exportCheck, exportZipResponse } from '@/lib/server/export/zip';
import { defineRoute } from '@/lib/server/route';

export const runtime = 'nodejs';

/** The gallery as a zip with a manifest and provenance in each image (owner only). */
export const GET = defineRoute(
  { name: 'galleries.export', params: z.object({ id: z.string().min(1).max(64) }), query: galleryExportQuerySchema },
  async (ctx, { params, query }) => {
    const plan = await planGalleryExport(ctx, params.id);
    return query.check ? exportCheck(plan) : exportZipResponse(plan);
  },
);
