import type { ReactNode } from 'react';

/**
 * Pages for people who review work without the studio (share links, /r/<token>): no sessions
 * sidebar, no composer, nothing that reads the studio's data. Each page resolves its own
 * viewer from the token (lib/server/review/viewer.ts), never from getContext().
 */
export default function ReviewLayout({ children }: { children: ReactNode }) {
  return <div className="min-h-dvh bg-canvas">{children}</div>;
}
