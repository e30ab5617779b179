import { defineRoute } from '@/lib/server/route';
import { acceptUpload } from '@/lib/server/services/uploads';
import { admitUpload } from '@/lib/server/uploads/gates';
import { discardBody, readSingleFile } from '@/lib/server/uploads/multipart';

export const runtime = 'nodejs';

/**
 * One reference image per request, so each file gets its own progress and its own error.
 * Too many uploads at once are refused before their body is read; the body is read as a
 * stream with hard limits (uploads/multipart.ts).
 */
export const POST = defineRoute({ name: 'uploads.create' }, async (ctx, { request }) => {
  let release: () => void;
  try {
    release = await admitUpload();
  } catch (e) {
    discardBody(request);
    throw e;
  }
  try {
    const file = await readSingleFile(request);
    const result = await acceptUpload(ctx, file, { signal: request.signal });
    return Response.json(result, { status: 201, headers: { 'Cache-Control': 'no-store' } });
  } finally {
    release();
  }
});
