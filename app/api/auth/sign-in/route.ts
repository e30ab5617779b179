import { handleSignIn } from '@/lib/server/perimeter/sign-in';

export const runtime = 'nodejs';

/** Same-origin and the studio's header are enforced by proxy.ts, like every state change. */
export async function POST(request: Request) {
  return handleSignIn(request);
}
