import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { env } from '@/lib/server/env';
import { accessRequired } from '@/lib/server/perimeter/config';
import { safeNextPath } from '@/lib/server/perimeter/paths';
import { SignInForm } from './sign-in-form';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in · Proofsheet' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  if (!accessRequired()) redirect('/');
  const { next } = await searchParams;
  const passwordOnly = !env().ACCESS_TOKEN;
  return (
    <>
      <h1 className="text-lg font-semibold tracking-tight text-ink">Sign in to Proofsheet</h1>
      <p className="mt-1 text-sm text-muted">
        This studio is reachable from other machines, so it asks for the {passwordOnly ? 'password' : 'access token'} set in its .env.
      </p>
      <SignInForm next={safeNextPath(typeof next === 'string' ? next : undefined)} label={passwordOnly ? 'Password' : 'Access token'} />
    </>
  );
}
