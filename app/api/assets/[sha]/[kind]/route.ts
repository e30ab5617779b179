import { serveAsset } from '@/lib/server/serve-asset';

export const runtime = 'nodejs';

export async function GET(request: Request, { params }: { params: Promise<{ sha: string; kind: string }> }) {
  const { sha, kind } = await params;
  return serveAsset(request, sha, kind);
}
