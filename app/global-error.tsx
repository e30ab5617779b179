'use client';

import { ErrorState } from '@/components/ui/error-state';
import './globals.css';

/** Replaces the root layout when the layout itself fails, so it brings its own html and body. */
export default function GlobalError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">
        <ErrorState {...props} />
      </body>
    </html>
  );
}
