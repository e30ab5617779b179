'use client';

import { cn } from '@/lib/cn';
import { useId } from 'react';
import { describePreset, presetButtonLabel, resolvePreset, TARGET_PRESETS } from '@/lib/providers/presets';
import type { StudioTarget } from '@/lib/schemas/studio';
import { formatUsd } from './format';

type Props = { targets: StudioTarget[]; selected: string[]; onChange: (ids: string[]) => void };

/**
 * Pick one or more targets; each gets `count` variations of the same input (fan-out).
 * Providers without a key are listed apart, greyed out, with the variable that turns them on.
 * Presets replace the selection with a group (lib/providers/presets.ts); each button says, in
 * its description, what it selects and what it skips.
 */
export function TargetPicker({ targets, selected, onChange }: Props) {
  const presetId = useId();
  const presets = TARGET_PRESETS.map((p) => resolvePreset(p, targets));
  const groups = new Map<string, StudioTarget[]>();
  for (const t of targets) groups.set(t.providerLabel, [...(groups.get(t.providerLabel) ?? []), t]);
  const toggle = (id: string, on: boolean) => onChange(on ? [...selected, id] : selected.filter((s) => s !== id));
  const ready = [...groups.entries()].filter(([, list]) => list[0]!.configured);
  const missing = [...groups.entries()].filter(([, list]) => !list[0]!.configured);

  return (
    <fieldset className="min-w-0">
      <legend className="mb-1.5 text-xs font-medium text-muted">Targets</legend>
      <fieldset aria-label="Target presets" className="mb-1.5 flex min-w-0 flex-wrap gap-1">
        {presets.map((sel) => (
          <span key={sel.preset.id}>
            <button
              type="button"
              className="rounded-md border border-line bg-panel px-2 py-0.5 text-[11px] text-muted hover:bg-raised hover:text-ink disabled:cursor-not-allowed disabled:opacity-50"
              disabled={sel.selected.length === 0}
              title={describePreset(sel)}
              aria-describedby={`${presetId}-${sel.preset.id}`}
              onClick={() => onChange(sel.selected.map((t) => t.id))}
            >
              {presetButtonLabel(sel)}
            </button>
            <span id={`${presetId}-${sel.preset.id}`} className="sr-only">
              {describePreset(sel)}
            </span>
          </span>
        ))}
      </fieldset>
      <div className="max-h-72 space-y-2 overflow-y-auto rounded-md border border-line bg-panel p-2">
        {ready.map(([provider, list]) => (
          <div key={provider}>
            <p className="px-1 text-[11px] font-semibold uppercase tracking-wide text-faint">{provider}</p>
            <ul>
              {list.map((t) => (
                <li key={t.id}>
                  <label className="flex cursor-pointer items-start gap-2 rounded px-1 py-1 text-sm hover:bg-raised">
                    <input
                      type="checkbox"
                      className="mt-0.5 accent-[var(--accent)]"
                      checked={selected.includes(t.id)}
                      onChange={(e) => toggle(t.id, e.target.checked)}
                    />
                    <span className="min-w-0 flex-1">
                      <span className="block truncate">{t.label}</span>
                      <span className="block text-[11px] text-faint">{summary(t)}</span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </div>
        ))}
        {missing.length > 0 && (
          <details className="group rounded px-1 text-sm">
            <summary className="cursor-pointer py-1 text-xs text-muted">
              {missing.length} provider{missing.length === 1 ? '' : 's'} not configured
            </summary>
            <ul className="pb-1">
              {missing.flatMap(([provider, list]) =>
                list.map((t) => (
                  <li key={t.id}>
                    <label className={cn('flex cursor-not-allowed items-start gap-2 rounded py-1 opacity-55')}>
                      <input type="checkbox" className="mt-0.5" disabled checked={false} readOnly />
                      <span className="min-w-0 flex-1">
                        <span className="block truncate">{t.label}</span>
                        <span className="block text-[11px] text-faint">
                          {provider}: add {t.envKey} to .env
                        </span>
                      </span>
                    </label>
                  </li>
                )),
              )}
            </ul>
          </details>
        )}
      </div>
    </fieldset>
  );
}

function summary(t: StudioTarget): string {
  const c = t.capabilities;
  const refs = `${c.maxReferences} ref${c.maxReferences > 1 ? 's' : ''}`;
  const price = c.pricePerImageUsd === null ? 'price unknown' : `${formatUsd(c.pricePerImageUsd)}/image`;
  return `${refs} · ${price}`;
}
