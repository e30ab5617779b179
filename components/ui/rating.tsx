'use client';

import { cn } from '@/lib/cn';
import { Star } from 'lucide-react';

/** 1–5 rating as a radio group; choosing the current value again clears it. */
export function Rating({
  value,
  onChange,
  label,
  size = 13,
}: {
  value: number | null;
  onChange: (v: number | null) => void;
  label: string;
  size?: number;
}) {
  return (
    <div role="radiogroup" aria-label={label} className="inline-flex items-center">
      {[1, 2, 3, 4, 5].map((n) => (
        // biome-ignore lint/a11y/useSemanticElements: clicking the current rating clears it, which a native radio cannot do
        <button
          key={n}
          type="button"
          role="radio"
          aria-checked={value === n}
          aria-label={`${n} star${n === 1 ? '' : 's'}`}
          title={`${n} star${n === 1 ? '' : 's'}`}
          onClick={() => onChange(value === n ? null : n)}
          className="rounded p-0.5 text-faint hover:text-ink"
        >
          <Star size={size} className={cn(value !== null && n <= value && 'fill-amber-400 text-amber-400')} aria-hidden />
        </button>
      ))}
    </div>
  );
}
