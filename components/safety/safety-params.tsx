'use client';

import { ShieldCheck } from 'lucide-react';
import type { SafetyControl } from '@/lib/providers/catalog';
import type { StudioTarget } from '@/lib/schemas/studio';

type Values = Record<string, number | boolean>;

function controlled(targets: StudioTarget[]): { target: StudioTarget; control: SafetyControl }[] {
  return targets.flatMap((t) => (t.capabilities.safety ? [{ target: t, control: t.capabilities.safety }] : []));
}

/**
 * What the composer sends: a choice only for picked targets that have a safety control and
 * where it differs from the vendor's default; undefined when nothing is chosen.
 */
export function safetyParamsFor(targets: StudioTarget[], values: Values): Values | undefined {
  const out: Values = {};
  for (const { target, control } of controlled(targets)) {
    const v = values[target.id];
    if (v !== undefined && v !== control.default) out[target.id] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * The vendors' own safety settings for the picked targets that expose one (Replicate's and fal's
 * FLUX `safety_tolerance`, their safety checkers), each showing the vendor's default.
 */
export function SafetyParams({ targets, value, onChange }: { targets: StudioTarget[]; value: Values; onChange: (next: Values) => void }) {
  const rows = controlled(targets);
  if (rows.length === 0) return null;
  const set = (id: string, v: number | boolean) => onChange({ ...value, [id]: v });
  return (
    <fieldset className="min-w-0 rounded-md border border-line px-3 py-2">
      <legend className="flex items-center gap-1 px-1 text-xs font-medium text-muted">
        <ShieldCheck aria-hidden className="size-3.5" /> Provider safety settings
      </legend>
      <div className="space-y-2">
        {rows.map(({ target, control }) => {
          const id = `safety-${target.id}`;
          const current = value[target.id] ?? control.default;
          return (
            <div key={target.id} className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
              {control.kind === 'level' ? (
                <>
                  <label htmlFor={id} className="min-w-0 text-xs text-ink" title={control.note}>
                    {target.label}: <span className="font-mono text-[11px] text-muted">{control.field}</span>
                  </label>
                  <select
                    id={id}
                    value={String(current)}
                    onChange={(e) => set(target.id, Number(e.target.value))}
                    className="rounded-md border border-line bg-panel px-2 py-1 text-xs text-ink"
                  >
                    {Array.from({ length: control.max - control.min + 1 }, (_, i) => control.min + i).map((n) => (
                      <option key={n} value={n}>
                        {n}
                        {n === control.default ? ' (default)' : ''}
                        {n === control.min ? ' strictest' : n === control.max ? ' most permissive' : ''}
                      </option>
                    ))}
                  </select>
                </>
              ) : (
                <label className="flex items-center gap-2 text-xs text-ink" title={control.note}>
                  <input
                    type="checkbox"
                    checked={current === true}
                    onChange={(e) => set(target.id, e.target.checked)}
                    className="accent-[var(--accent)]"
                  />
                  {target.label}: safety checker {control.default ? '(on by default)' : '(off by default)'}
                </label>
              )}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
