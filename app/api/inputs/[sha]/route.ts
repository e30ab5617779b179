import { serveInput } from '@/lib/server/serve-asset';

export const runtime = 'nodejs';

/** Reference bytes for vendors that fetch inputs by URL (see lib/server/public-url.ts). */
export async function GET(_request: Request, { params }: { params: Promise<{ sha: string }> }) {
  const { sha } = await params;
  return serveInput(sha);
}
