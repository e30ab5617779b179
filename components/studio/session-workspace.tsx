'use client';

import { cn } from '@/lib/cn';
import type { ReactNode } from 'react';
import { ComposerPanel } from './composer-panel';
import { SessionTabs } from './session-tabs';
import { useStudio } from './studio';

/**
 * The composer beside the open view. From 900 px they sit side by side, each scrolling on its
 * own; below that they stack and the page scrolls, with the view tabs kept in reach.
 */
export function SessionWorkspace({ children }: { children: ReactNode }) {
  const { session, view } = useStudio();
  return (
    <div className="flex flex-col split:grid split:h-[calc(100dvh-3rem)] split:grid-cols-[minmax(320px,380px)_minmax(0,1fr)] lg:h-dvh xl:grid-cols-[400px_minmax(0,1fr)]">
      <aside
        aria-label="Composer"
        className="space-y-4 border-b border-line p-4 split:min-h-0 split:overflow-y-auto split:border-r split:border-b-0"
      >
        <ComposerPanel />
      </aside>
      {/* Stacked, at least a screen tall: Generate scrolls it to the top to show the new run, even while the feed is short. */}
      <main id="session-views" aria-label="Session" className="flex min-h-dvh min-w-0 scroll-mt-12 flex-col split:min-h-0">
        <SessionTabs sessionId={session.id} view={view} />
        {/* The grid scrolls itself (virtualised), so it gets a fixed height; the other views scroll here, or with the page when stacked. */}
        <div
          className={cn(
            'p-3 sm:p-5 split:min-h-0 split:flex-1',
            view === 'grid' ? 'flex h-[85dvh] flex-col overflow-hidden split:h-auto' : 'split:overflow-y-auto',
          )}
        >
          {children}
        </div>
      </main>
    </div>
  );
}
