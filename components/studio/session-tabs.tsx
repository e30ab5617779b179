import clsx from 'clsx';
import Link from 'next/link';
import type { StudioView } from './studio';

const TABS: { view: StudioView; label: string; path: string }[] = [
  { view: 'runs', label: 'Runs', path: '' },
  { view: 'grid', label: 'Grid', path: '/grid' },
  { view: 'lineage', label: 'Lineage', path: '/lineage' },
];

/** Three views of one session: the run feed, a culling grid of every variation, the lineage tree. */
export function SessionTabs({ sessionId, view }: { sessionId: string; view: StudioView }) {
  return (
    <nav aria-label="Session views" className="flex gap-1 border-b border-line px-5 pt-2">
      {TABS.map((t) => (
        <Link
          key={t.view}
          prefetch={false}
          href={`/s/${sessionId}${t.path}`}
          aria-current={t.view === view ? 'page' : undefined}
          className={clsx(
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
