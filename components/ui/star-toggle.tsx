'use client';

import { cn } from '@/lib/cn';
import { Star } from 'lucide-react';

export function StarToggle({
  starred,
  onToggle,
  label,
  tone = 'plain',
}: {
  starred: boolean;
  onToggle: () => void;
  label: string;
  tone?: 'plain' | 'overlay';
}) {
  return (
    <button
      type="button"
      aria-pressed={starred}
      aria-label={label}
      title={starred ? 'Unstar' : 'Star'}
      onClick={onToggle}
      className={cn(
        'inline-flex size-8 items-center justify-center rounded-md',
        tone === 'overlay' ? 'bg-black/55 text-white backdrop-blur hover:bg-black/75' : 'text-muted hover:bg-raised hover:text-ink',
      )}
    >
      <Star size={15} className={cn(starred && 'fill-amber-400 text-amber-400')} aria-hidden />
    </button>
  );
}
