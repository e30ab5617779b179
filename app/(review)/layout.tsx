import type { ReactNode } from 'react';

/**
 * Pages for people who review work without the studio (share links, added later): no sessions
 * sidebar, no composer. Empty for now; the route group exists so those pages have a home.
 */
export default function ReviewLayout({ children }: { children: ReactNode }) {
  return <div className="min-h-dvh bg-canvas">{children}</div>;
}
