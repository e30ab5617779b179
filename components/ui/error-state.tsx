'use client';

import Link from 'next/link';
import { useEffect } from 'react';
import { GENERIC_ERROR_MESSAGE } from '@/lib/schemas/errors';
import { Button } from './button';
import { actionLink, StatusPage } from './status-page';

type Props = { error: Error & { digest?: string }; reset: () => void; title?: string; className?: string; as?: 'main' | 'div' };

/**
 * An error boundary's page. The server never sends the detail to the browser, only a digest,
 * which the server log carries beside the error: shown so a person can quote it.
 */
export function ErrorState({ error, reset, title = 'Something went wrong', className, as }: Props) {
  useEffect(() => console.error(error), [error]);
  return (
    <StatusPage
      title={title}
      className={className}
      as={as}
      actions={
        <>
          <Button variant="primary" onClick={reset}>
            Try again
          </Button>
          <Link href="/" className={actionLink.secondary}>
            Back to the studio
          </Link>
        </>
      }
    >
      {/* No digest: the error happened in the browser, not on the server. */}
      <p>{error.digest ? GENERIC_ERROR_MESSAGE : 'Something went wrong on this page. Try again, or reload it.'}</p>
      {error.digest && (
        <p className="text-xs text-faint">
          Error id <code className="font-mono">{error.digest}</code>
        </p>
      )}
    </StatusPage>
  );
}
