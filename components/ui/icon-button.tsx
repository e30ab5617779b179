import { cn } from '@/lib/cn';
import type { ComponentPropsWithRef, ReactNode } from 'react';

type Props = ComponentPropsWithRef<'button'> & { label: string; children: ReactNode; tone?: 'plain' | 'overlay' };

/** A square icon button whose accessible name is its label (also shown as a tooltip). */
export function IconButton({ label, children, className, tone = 'plain', ...rest }: Props) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      className={cn(
        'inline-flex size-8 shrink-0 items-center justify-center rounded-md transition-colors disabled:opacity-40',
        tone === 'plain' && 'text-muted hover:bg-raised hover:text-ink',
        tone === 'overlay' && 'bg-black/55 text-white backdrop-blur hover:bg-black/75',
        className,
      )}
      {...rest}
    >
      {children}
    </button>
  );
}
