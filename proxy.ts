import type { NextRequest } from 'next/server';
import { guardRequest } from '@/lib/server/perimeter/guard';

/**
 * Next.js 16's middleware, in the Node.js runtime (its default; it cannot be set here), so the
 * perimeter shares lib/server/env.ts and node:crypto with the app. See lib/server/perimeter.
 */
export function proxy(request: NextRequest) {
  return guardRequest(request);
}

export const config = {
  // Everything, static chunks included: the Host allow-list and the headers hold for every byte.
  // Except uploads (the studio's and /api/v1's): Next.js buffers a request body for the proxy
  // before the route sees it, which would read a 1 GB chunked upload to the end. The upload route runs the same checks itself
  // (perimeterRefusal) before reading a byte.
  matcher: '/((?!api/uploads$|api/v1/uploads$).*)',
};
