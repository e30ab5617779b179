'use client';

import { cn } from '@/lib/cn';
import { useRef, type KeyboardEvent } from 'react';
import { COMPARE_MODES, cycleMode, type CompareModeId } from '@/lib/compare/selection';

/** ARIA radiogroup: one tab stop, arrow keys move and select (the workspace leaves them alone here). */
export function ModeRadiogroup({ mode, onMode }: { mode: CompareModeId; onMode: (m: CompareModeId) => void }) {
  const group = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: KeyboardEvent) => {
    const delta = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (delta === 0) return;
    e.preventDefault();
    const next = cycleMode(mode, delta);
    onMode(next);
    group.current?.querySelector<HTMLElement>(`[data-mode="${next}"]`)?.focus();
  };
  return (
    <div
      ref={group}
      role="radiogroup"
      aria-label="Compare mode"
      onKeyDown={onKeyDown}
      className="flex rounded-md border border-line bg-panel p-0.5"
    >
      {COMPARE_MODES.map((m) => (
        // biome-ignore lint/a11y/useSemanticElements: a segmented control with roving focus (the WAI-ARIA radio group pattern), styled as buttons
        <button
          key={m.id}
          type="button"
          role="radio"
          data-mode={m.id}
          aria-checked={mode === m.id}
          tabIndex={mode === m.id ? 0 : -1}
          onClick={() => onMode(m.id)}
          className={cn('rounded px-2.5 py-1 text-xs', mode === m.id ? 'bg-raised font-medium text-ink' : 'text-muted hover:text-ink')}
        >
          {m.label}
        </button>
      ))}
    </div>
  );
}
