'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { cn } from '@/lib/cn';
import { Activity, Layers, Plus, Search, Settings, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { useDeferredValue, useState } from 'react';
import { newSessionAction } from '@/lib/server/actions/sessions';
import { sessionListQuery, trayQuery, type SessionListPage } from '@/lib/client/queries';
import type { SessionListFilters } from '@/lib/client/query-keys';
import { PROVIDERS } from '@/lib/providers/catalog';
import { SidebarGalleries } from '../galleries/sidebar-galleries';
import { ThemeToggle } from '../ui/theme-toggle';

const select = 'w-full rounded-md border border-line bg-panel px-1.5 py-1 text-xs text-ink';

/** Sessions newest first, with search (title, notes, instructions) and filters, paginated. */
export function SessionSidebar({ initial, currentId }: { initial: SessionListPage; currentId: string }) {
  const [filters, setFilters] = useState<SessionListFilters>({ q: '', provider: '', status: '', starred: false, view: 'active' });
  const deferred = useDeferredValue(filters);
  const isDefault = !deferred.q && !deferred.provider && !deferred.status && !deferred.starred && deferred.view === 'active';
  const { data, fetchNextPage, hasNextPage, isFetching } = useInfiniteQuery({
    ...sessionListQuery(deferred),
    ...(isDefault ? { initialData: { pages: [initial], pageParams: [undefined] } } : {}),
  });
  const { data: tray } = useQuery({ ...trayQuery(), select: (items) => items.length });
  const sessions = data?.pages.flatMap((p) => p.sessions) ?? [];
  const set = (patch: Partial<SessionListFilters>) => setFilters((f) => ({ ...f, ...patch }));

  return (
    <nav aria-label="Sessions" className="flex h-full min-h-0 flex-col border-r border-line bg-panel">
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
      <div className="space-y-1.5 border-b border-line px-3 pb-2.5">
        <label className="flex items-center gap-1.5 rounded-md border border-line bg-canvas px-2">
          <Search size={13} className="text-faint" aria-hidden />
          <input
            type="search"
            aria-label="Search sessions"
            placeholder="Search titles, notes, instructions"
            value={filters.q}
            onChange={(e) => set({ q: e.target.value })}
            className="min-w-0 flex-1 bg-transparent py-1 text-xs text-ink outline-none placeholder:text-faint"
          />
        </label>
        <div className="grid grid-cols-2 gap-1.5">
          <select
            aria-label="Filter by provider"
            value={filters.provider}
            onChange={(e) => set({ provider: e.target.value })}
            className={select}
          >
            <option value="">All providers</option>
            {Object.values(PROVIDERS).map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
          <select aria-label="Filter by status" value={filters.status} onChange={(e) => set({ status: e.target.value })} className={select}>
            <option value="">Any status</option>
            <option value="succeeded">Succeeded</option>
            <option value="failed">Failed</option>
            <option value="running">Running</option>
            <option value="queued">Queued</option>
          </select>
        </div>
        <div className="flex items-center justify-between text-xs text-muted">
          <label className="flex items-center gap-1.5">
            <input
              type="checkbox"
              checked={filters.starred}
              onChange={(e) => set({ starred: e.target.checked })}
              className="accent-[var(--accent)]"
            />
            Starred only
          </label>
          <label className="flex items-center gap-1.5">
            <input
              type="checkbox"
              checked={filters.view === 'archived'}
              onChange={(e) => set({ view: e.target.checked ? 'archived' : 'active' })}
              className="accent-[var(--accent)]"
            />
            Archived
          </label>
        </div>
      </div>
      <ul className="min-h-0 flex-1 space-y-0.5 overflow-y-auto px-2 py-2" aria-busy={isFetching}>
        {sessions.map((s) => (
          <li key={s.id}>
            <Link
              href={`/s/${s.id}`}
              prefetch={false}
              aria-current={s.id === currentId ? 'page' : undefined}
              className={cn(
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
        {sessions.length === 0 && !isFetching && <li className="px-2.5 py-3 text-xs text-faint">No sessions match.</li>}
        {hasNextPage && (
          <li>
            <button
              type="button"
              onClick={() => fetchNextPage()}
              className="w-full rounded-md px-2.5 py-1.5 text-left text-xs text-muted hover:bg-raised"
            >
              Show more sessions
            </button>
          </li>
        )}
      </ul>
      <div className="border-t border-line py-1">
        <SidebarGalleries />
        {[
          { href: '/compare', label: `Compare tray${tray ? ` (${tray})` : ''}`, icon: Layers },
          { href: '/batches', label: 'Batches', icon: Layers },
          { href: '/trash', label: 'Trash', icon: Trash2 },
          { href: '/providers', label: 'Dashboard', icon: Activity },
          { href: '/settings', label: 'Providers', icon: Settings },
        ].map(({ href, label, icon: Icon }) => (
          <Link key={href} href={href} className="flex items-center gap-2 px-4 py-1.5 text-sm text-muted hover:text-ink">
            <Icon size={15} aria-hidden /> {label}
          </Link>
        ))}
      </div>
    </nav>
  );
}
