import { cn } from '@/lib/cn';
import { Loader2 } from 'lucide-react';
import type { ReactNode } from 'react';

type Props = {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
  className?: string;
  /** `div` inside a page that already has its main landmark. */
  as?: 'main' | 'div';
};

/** A whole-area message (not found, failed) with a title, a sentence and ways on. */
export function StatusPage({ title, children, actions, className, as: Tag = 'main' }: Props) {
  return (
    <Tag className={cn('flex min-h-[60dvh] items-center justify-center px-6 py-12', className)}>
      <div className="max-w-md text-center">
        <h1 className="text-lg font-semibold tracking-tight text-ink">{title}</h1>
        <div className="mt-2 space-y-2 text-sm leading-relaxed text-muted">{children}</div>
        {actions && <div className="mt-5 flex flex-wrap items-center justify-center gap-2">{actions}</div>}
      </div>
    </Tag>
  );
}

/** What a segment shows while its server part loads. */
export function LoadingState({ label = 'Loading…', className }: { label?: string; className?: string }) {
  return (
    <p role="status" className={cn('flex items-center justify-center gap-2 py-16 text-sm text-muted', className)}>
      <Loader2 size={16} className="animate-spin" aria-hidden /> {label}
    </p>
  );
}

/** Link styled as a button, for the actions of a status page. */
export const actionLink = {
  primary: 'inline-flex h-9 items-center rounded-md bg-accent px-3.5 text-sm font-medium text-accent-ink hover:opacity-90',
  secondary: 'inline-flex h-9 items-center rounded-md border border-line bg-panel px-3.5 text-sm font-medium text-ink hover:bg-raised',
};
