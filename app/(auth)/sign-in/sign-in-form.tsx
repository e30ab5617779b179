'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { authRequest } from '../auth-request';

type State = { error?: string };

export function SignInForm({ next, label }: { next: string; label: string }) {
  const [state, submit, pending] = useActionState(async (_prev: State, form: FormData): Promise<State> => {
    const result = await authRequest('/api/auth/sign-in', { secret: String(form.get('secret') ?? ''), next });
    if (!result.ok) return { error: result.message };
    // A full load, so every server component renders with the new session.
    window.location.assign(result.next);
    return {};
  }, {});

  return (
    <form action={submit} className="mt-5 space-y-4">
      <div className="space-y-1.5">
        <label htmlFor="secret" className="block text-sm font-medium text-ink">
          {label}
        </label>
        <input
          id="secret"
          name="secret"
          type="password"
          required
          autoComplete="current-password"
          aria-invalid={state.error ? true : undefined}
          aria-describedby={state.error ? 'sign-in-error' : undefined}
          className="h-9 w-full rounded-md border border-line bg-canvas px-3 text-sm text-ink"
        />
      </div>
      {state.error && (
        <p id="sign-in-error" role="alert" className="text-sm text-danger">
          {state.error}
        </p>
      )}
      <Button type="submit" variant="primary" className="w-full" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
