import { openApiDocument } from '@/lib/server/api/openapi';

export const runtime = 'nodejs';

/** Public (see lib/server/perimeter/api-bearer.ts): a pipeline's author reads it before having a token. */
export function GET(): Response {
  return Response.json(openApiDocument(), { headers: { 'Cache-Control': 'no-store' } });
}
