import { uploadHandler } from '@/lib/server/api/handlers';
import { perimeterRefusal } from '@/lib/server/perimeter/guard';
import { BASE_SECURITY_HEADERS, RESOURCE_CSP } from '@/lib/server/perimeter/headers';
import { discardBody } from '@/lib/server/uploads/multipart';

export const runtime = 'nodejs';

/**
 * Like app/api/uploads: outside the proxy (it would buffer the body), so the perimeter's
 * checks run here first, before a byte is read.
 */
export async function POST(request: Request, context?: { params: Promise<Record<string, string | string[]>> }): Promise<Response> {
  const refused = perimeterRefusal(request);
  const response = refused ?? (await uploadHandler(request, context));
  if (refused) discardBody(request);
  for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) response.headers.set(name, value);
  response.headers.set('Content-Security-Policy', RESOURCE_CSP);
  return response;
}
