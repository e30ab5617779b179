import { perimeterRefusal } from '@/lib/server/perimeter/guard';
import { defineRoute } from '@/lib/server/route';
import { acceptUpload } from '@/lib/server/services/uploads';
import { admitUpload } from '@/lib/server/uploads/gates';
import { discardBody, readSingleFile } from '@/lib/server/uploads/multipart';

export const runtime = 'nodejs';

/**
 * One reference image per request, so each file gets its own progress and its own error.
 * The body is read here as a stream with hard limits (uploads/multipart.ts), so this route
 * checks the perimeter itself before anything else: Next.js drains and buffers the whole body
 * of any request its proxy runs for. Too many uploads at once are refused before their body
 * is read.
 */
const create = defineRoute({ name: 'uploads.create' }, async (ctx, { request }) => {
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

export async function POST(request: Request, context?: { params: Promise<Record<string, string | string[]>> }): Promise<Response> {
  const refused = perimeterRefusal(request);
  if (refused) {
    discardBody(request);
    return refused;
  }
  return create(request, context);
}
