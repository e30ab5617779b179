import { z } from 'zod';
import { planGalleryExport } from '@/lib/server/export/load';
import { exportZipResponse } from '@/lib/server/export/zip';
import { defineRoute } from '@/lib/server/route';

export const runtime = 'nodejs';

/** The gallery as a zip with a manifest and provenance in each image (owner only). */
export const GET = defineRoute({ name: 'galleries.export', params: z.object({ id: z.string().min(1).max(64) }) }, async (ctx, { params }) =>
  exportZipResponse(await planGalleryExport(ctx, params.id)),
);
