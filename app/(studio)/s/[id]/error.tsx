'use client';

import { ErrorState } from '@/components/ui/error-state';

/** A view that fails shows this in its place; the composer and its draft stay. */
export default function ViewError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorState {...props} title="This view could not be shown" as="div" className="min-h-0" />;
}
