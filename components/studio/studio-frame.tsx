'use client';

import { cn } from '@/lib/cn';
import { Menu, X } from 'lucide-react';
import { useParams, usePathname } from 'next/navigation';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { SessionSidebar } from '../history/session-sidebar';
import type { SessionListPage } from '@/lib/client/queries';
import { IconButton } from '../ui/icon-button';

/**
 * The studio's frame: the sessions sidebar beside the session from 1024 px; below that a top
 * bar whose "Sessions" button slides the sidebar in over the page. It stays mounted across
 * session switches, so its search and filters survive them.
 */
export function StudioFrame({ sessions, children }: { sessions: SessionListPage; children: ReactNode }) {
  const { id } = useParams<{ id?: string }>();
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const close = useRef<HTMLButtonElement>(null);

  // A link followed in the drawer (another session, the trash) closes it.
  const [shownAt, setShownAt] = useState(pathname);
  if (shownAt !== pathname) {
    setShownAt(pathname);
    setOpen(false);
  }
  useEffect(() => {
    if (!open) return;
    close.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      toggle.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <div className="lg:grid lg:h-dvh lg:grid-cols-[248px_minmax(0,1fr)]">
      <header className="sticky top-0 z-30 flex h-12 items-center gap-2 border-b border-line bg-panel px-2 lg:hidden">
        <button
          ref={toggle}
          type="button"
          aria-expanded={open}
          aria-controls="sessions-drawer"
          onClick={() => setOpen(true)}
          className="inline-flex h-9 items-center gap-2 rounded-md px-2.5 text-sm text-ink hover:bg-raised"
        >
          <Menu size={18} aria-hidden /> Sessions
        </button>
        <span className="ml-auto pr-2 text-sm font-semibold tracking-tight">Proofsheet</span>
      </header>
      <div
        id="sessions-drawer"
        className={cn(
          'fixed inset-y-0 left-0 z-50 flex w-[min(85vw,300px)] flex-col bg-panel shadow-xl transition-[translate,visibility] duration-200',
          'lg:visible lg:static lg:z-auto lg:w-auto lg:translate-x-0 lg:shadow-none lg:transition-none',
          open ? 'visible translate-x-0' : 'invisible -translate-x-full',
        )}
      >
        {/* Outside the panel, over the dimmed page, so the sidebar keeps its own header. */}
        <IconButton
          ref={close}
          label="Close sessions"
          tone="overlay"
          className="absolute top-2 left-full ml-2 lg:hidden"
          onClick={() => setOpen(false)}
        >
          <X size={16} />
        </IconButton>
        <div className="min-h-0 flex-1">
          <SessionSidebar initial={sessions} currentId={id ?? ''} />
        </div>
      </div>
      {open && <div className="fixed inset-0 z-40 bg-black/40 lg:hidden" aria-hidden onClick={() => setOpen(false)} />}
      <div className="min-w-0 lg:min-h-0">{children}</div>
    </div>
  );
}
