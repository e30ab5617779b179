import { handleSignOut } from '@/lib/server/perimeter/sign-in';

export const runtime = 'nodejs';

export async function POST(request: Request) {
  return handleSignOut(request);
}
