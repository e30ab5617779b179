import { AppError, errorResponse } from '@/lib/server/errors';
import { verifyInputSignature } from '@/lib/server/perimeter/signed-url';
import { serveInput } from '@/lib/server/serve-asset';

export const runtime = 'nodejs';

const REFUSAL = {
  unsigned: 'This input URL is not signed.',
  invalid: 'This input URL’s signature does not match.',
  expired: 'This input URL has expired.',
} as const;

/**
 * Reference bytes for vendors that fetch inputs by URL (lib/server/public-url.ts). No session:
 * the signature is the permission, for one blob until `exp`. Checked before the store is
 * touched, so a refusal says nothing about which blobs exist.
 */
export async function GET(request: Request, { params }: { params: Promise<{ sha: string }> }) {
  const { sha } = await params;
  const query = new URL(request.url).searchParams;
  const verdict = verifyInputSignature(sha, query.get('exp'), query.get('sig'));
  if (verdict !== 'valid') return errorResponse(new AppError('forbidden', REFUSAL[verdict]), 'route inputs.get');
  return serveInput(sha);
}
