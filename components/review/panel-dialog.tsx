'use client';

import { X } from 'lucide-react';
import { type ReactNode, useEffect, useId, useRef } from 'react';
import { cn } from '@/lib/cn';
import { IconButton } from '../ui/icon-button';

/**
 * A modal <dialog> for the designer's panels (share, blind comparison, add to gallery): a titled
 * header with Close; Esc and a backdrop click close it. The content mounts only while open.
 */
export function PanelDialog({
  open,
  onClose,
  title,
  children,
  className,
  padded = true,
  contain = false,
}: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  /** Or a function given `close`: closes the dialog as Esc does (onClose follows, focus returns). */
  children: ReactNode | ((close: () => void) => ReactNode);
  /** Overrides, e.g. a narrower width. */
  className?: string;
  /** false: the content lays out its own padding and dividers. */
  padded?: boolean;
  /** Keeps clicks and keys inside: for a dialog opened from a grid or tile with handlers of its own. */
  contain?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  const close = () => ref.current?.close();
  const content = open && (typeof children === 'function' ? children(close) : children);
  return (
    // The click handler is for the backdrop only; Esc (native) and the Close button serve keyboards.
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(e) => {
        if (contain) e.stopPropagation();
        if (e.target === ref.current) close();
      }}
      onKeyDown={contain ? (e) => e.stopPropagation() : undefined}
      className={cn(
        'm-auto max-h-[90dvh] w-[min(36rem,calc(100vw-1.5rem))] overflow-y-auto rounded-xl border border-line bg-panel p-0 text-ink shadow-xl backdrop:bg-black/50',
        className,
      )}
    >
      <div className="sticky top-0 flex items-center justify-between border-b border-line bg-panel px-4 py-3">
        <h2 id={titleId} className="text-sm font-semibold">
          {title}
        </h2>
        <IconButton label="Close" onClick={close}>
          <X size={14} aria-hidden />
        </IconButton>
      </div>
      {padded ? <div className="space-y-4 px-4 py-4">{content}</div> : content}
    </dialog>
  );
}

/** Unwraps an action result for TanStack Query: a refusal becomes the query's error. */
export async function unwrap<T>(p: Promise<{ ok: true; data: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.data;
}
