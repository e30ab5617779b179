import { perimeterRefusal } from '@/lib/server/perimeter/guard';
import { BASE_SECURITY_HEADERS, RESOURCE_CSP } from '@/lib/server/perimeter/headers';
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
    return withSecurityHeaders(refused);
  }
  return withSecurityHeaders(await create(request, context));
}

/** The proxy does not run for this route (see proxy.ts), so its response headers are set here. */
function withSecurityHeaders(response: Response): Response {
  for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) response.headers.set(name, value);
  response.headers.set('Content-Security-Policy', RESOURCE_CSP);
  return response;
}
