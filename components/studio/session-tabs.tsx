import { cn } from '@/lib/cn';
import Link from 'next/link';
import type { StudioView } from './studio';

const TABS: { view: StudioView; label: string; path: string }[] = [
  { view: 'runs', label: 'Runs', path: '' },
  { view: 'grid', label: 'Grid', path: '/grid' },
  { view: 'lineage', label: 'Lineage', path: '/lineage' },
];

/**
 * Three views of one session: the run feed, a culling grid of every variation, the lineage tree.
 * Stuck under the top bar when the page scrolls (narrow screens), so a switch is always in reach.
 */
export function SessionTabs({ sessionId, view }: { sessionId: string; view: StudioView }) {
  return (
    <nav
      aria-label="Session views"
      className="sticky top-12 z-20 flex gap-1 border-b border-line bg-canvas px-3 pt-2 sm:px-5 split:static split:z-auto"
    >
      {TABS.map((t) => (
        <Link
          key={t.view}
          prefetch={false}
          href={`/s/${sessionId}${t.path}`}
          aria-current={t.view === view ? 'page' : undefined}
          className={cn(
            '-mb-px border-b-2 px-3 py-2 text-sm',
            t.view === view ? 'border-accent font-medium text-ink' : 'border-transparent text-muted hover:text-ink',
          )}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
