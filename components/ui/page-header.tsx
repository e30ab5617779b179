import Link from 'next/link';
import type { ReactNode } from 'react';

/** The header of the pages beside the studio (providers, trash, compare tray). */
export function PageHeader({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <nav className="mb-6 text-sm">
        <Link href="/" className="text-muted hover:text-ink">
          ← Back to the studio
        </Link>
      </nav>
      <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
      <p className="mt-1 max-w-2xl text-sm text-muted">{children}</p>
    </>
  );
}
