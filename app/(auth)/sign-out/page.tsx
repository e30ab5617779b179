import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { accessRequired } from '@/lib/server/perimeter/config';
import { SignOutButton } from './sign-out-button';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign out · Proofsheet' };

/** Signing out is a POST (a link or an image elsewhere cannot sign the owner out). */
export default function SignOutPage() {
  if (!accessRequired()) redirect('/');
  return (
    <>
      <h1 className="text-lg font-semibold tracking-tight text-ink">Sign out of Proofsheet?</h1>
      <p className="mt-1 text-sm text-muted">This browser will need the access token again. Runs in progress keep running.</p>
      <SignOutButton />
    </>
  );
}
