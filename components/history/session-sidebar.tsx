import clsx from 'clsx';
import { Plus, Settings } from 'lucide-react';
import Link from 'next/link';
import { newSessionAction } from '@/lib/server/actions/sessions';
import type { SessionDto } from '@/lib/schemas/run';
import { ThemeToggle } from '../ui/theme-toggle';

/** Sessions, newest first. Each is one iteration thread; a visit reopens the latest. */
export function SessionSidebar({ sessions, currentId }: { sessions: SessionDto[]; currentId: string }) {
  return (
    <nav aria-label="Sessions" className="flex h-full flex-col border-r border-line bg-panel">
      <div className="flex items-center justify-between px-4 py-3">
        <span className="text-sm font-semibold tracking-tight">Proofsheet</span>
        <ThemeToggle />
      </div>
      <form action={newSessionAction} className="px-3 pb-2">
        <button
          type="submit"
          className="flex w-full items-center gap-2 rounded-md border border-line px-2.5 py-1.5 text-sm text-ink hover:bg-raised"
        >
          <Plus size={15} aria-hidden /> New session
        </button>
      </form>
      <ul className="min-h-0 flex-1 space-y-0.5 overflow-y-auto px-2 pb-3">
        {sessions.map((s) => (
          <li key={s.id}>
            <Link
              href={`/s/${s.id}`}
              aria-current={s.id === currentId ? 'page' : undefined}
              className={clsx(
                'block rounded-md px-2.5 py-1.5 text-sm',
                s.id === currentId ? 'bg-raised text-ink' : 'text-muted hover:bg-raised hover:text-ink',
              )}
            >
              <span className="block truncate">{s.title}</span>
              <span className="block text-[11px] text-faint">
                {s.runCount} run{s.runCount === 1 ? '' : 's'} · {new Date(s.updatedAt).toLocaleDateString()}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <Link href="/settings" className="flex items-center gap-2 border-t border-line px-4 py-2.5 text-sm text-muted hover:text-ink">
        <Settings size={15} aria-hidden /> Providers
      </Link>
    </nav>
  );
}
