import type { ReactNode } from 'react';

/** The way in and out: no sessions sidebar, no composer, nothing of the studio before sign-in. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-dvh items-center justify-center bg-canvas px-6 py-12">
      <div className="w-full max-w-sm rounded-lg border border-line bg-panel p-6 shadow-sm">{children}</div>
    </main>
  );
}
