import { errorResponse } from '@/lib/server/errors';
import { receiveWebhook } from '@/lib/server/webhooks/receive';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * A vendor's completion callback (lib/server/webhooks). Outside defineRoute and the sign-in:
 * vendors have no session; the URL's token and the vendor's signature stand in for one.
 */
export async function POST(req: Request, { params }: { params: Promise<{ vendor: string }> }) {
  try {
    return await receiveWebhook((await params).vendor, req);
  } catch (e) {
    return errorResponse(e, 'route webhooks');
  }
}
