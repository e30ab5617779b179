'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { authRequest } from '../auth-request';

export function SignOutButton() {
  const [state, submit, pending] = useActionState(async (): Promise<{ error?: string }> => {
    const result = await authRequest('/api/auth/sign-out', {});
    if (!result.ok) return { error: result.message };
    window.location.assign(result.next);
    return {};
  }, {});
  return (
    <form action={submit} className="mt-5 space-y-3">
      {state.error && (
        <p role="alert" className="text-sm text-danger">
          {state.error}
        </p>
      )}
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={pending}>
          Sign out
        </Button>
        <a
          href="/"
          className="inline-flex h-9 items-center rounded-md px-3.5 text-sm font-medium text-muted hover:bg-raised hover:text-ink"
        >
          Back to the studio
        </a>
      </div>
    </form>
  );
}
