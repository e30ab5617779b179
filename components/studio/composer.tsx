'use client';

import { Dices, Loader2, Sparkles } from 'lucide-react';
import { useMemo, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { MAX_VARIATIONS } from '@/lib/schemas/limits';
import type { StudioTarget } from '@/lib/schemas/studio';
import { Button } from '../ui/button';
import { IconButton } from '../ui/icon-button';
import { randomSeed } from './format';
import { SafetyParams } from '../safety/safety-params';
import { TargetPicker } from './target-picker';

export type ComposerValues = {
  instruction: string;
  negativePrompt: string;
  seed: number;
  keepSeed: boolean;
  count: number;
  size: string;
  format: 'png' | 'jpeg';
  strength: number;
  guidance: number;
  targets: string[];
  /** Vendor safety settings by target id (components/safety/safety-params.tsx). */
  safety: Record<string, number | boolean>;
};

type Props = {
  values: ComposerValues;
  onChange: (patch: Partial<ComposerValues>) => void;
  targets: StudioTarget[];
  referenceCount: number;
  uploading: boolean;
  busy: boolean;
  error: string | null;
  /** Whether the unsent form is saved on the server yet. */
  draftNote?: ReactNode;
  /** The cost estimate beside Generate, and the budget warnings under it (components/ledger/estimate-note.tsx). */
  estimate?: { summary: ReactNode; warnings: ReactNode };
  onSubmit: () => void;
};

const field = 'w-full rounded-md border border-line bg-panel px-2.5 py-1.5 text-sm text-ink placeholder:text-faint';

/** Instruction, parameters and targets. Ctrl/Cmd+Enter submits from anywhere in the form. */
export function Composer({ values, onChange, targets, referenceCount, uploading, busy, error, draftNote, estimate, onSubmit }: Props) {
  const chosen = useMemo(() => targets.filter((t) => values.targets.includes(t.id)), [targets, values.targets]);
  const supports = (cap: 'strength' | 'guidance' | 'negativePrompt' | 'seed') => chosen.some((t) => t.capabilities[cap]);
  const sizes = useMemo(() => {
    const lists = chosen.map((t) => t.capabilities.sizes);
    const first = lists[0] ?? ['auto'];
    return first.filter((s) => lists.every((l) => l.includes(s)));
  }, [chosen]);
  const total = chosen.length * values.count;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
      e.preventDefault();
      onSubmit();
    }
  };

  return (
    // On a tablet (stacked, but wide) the words and the settings sit side by side.
    <form
      onSubmit={submit}
      onKeyDown={onKeyDown}
      className="space-y-4 sm:max-split:grid sm:max-split:grid-cols-2 sm:max-split:gap-x-5 sm:max-split:space-y-0"
      aria-label="New run"
    >
      <div className="space-y-4">
        <div>
          <label htmlFor="instruction" className="mb-1.5 block text-xs font-medium text-muted">
            Instruction
          </label>
          <textarea
            id="instruction"
            rows={4}
            value={values.instruction}
            onChange={(e) => onChange({ instruction: e.target.value })}
            placeholder="Remove the background of image 1 and place it on a white studio backdrop"
            className={`${field} resize-y leading-relaxed sm:max-split:min-h-48`}
          />
        </div>
        {supports('negativePrompt') && (
          <div>
            <label htmlFor="negative" className="mb-1.5 block text-xs font-medium text-muted">
              Negative prompt
            </label>
            <input
              id="negative"
              value={values.negativePrompt}
              onChange={(e) => onChange({ negativePrompt: e.target.value })}
              className={field}
              placeholder="What to avoid"
            />
          </div>
        )}
      </div>

      <div className="space-y-4">
        <TargetPicker targets={targets} selected={values.targets} onChange={(ids) => onChange({ targets: ids })} />

        <div className="grid grid-cols-2 gap-3">
          <div>
            <label htmlFor="count" className="mb-1.5 block text-xs font-medium text-muted">
              Variations per target
            </label>
            <select id="count" value={values.count} onChange={(e) => onChange({ count: Number(e.target.value) })} className={field}>
              {Array.from({ length: MAX_VARIATIONS }, (_, i) => i + 1).map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="seed" className="mb-1.5 block text-xs font-medium text-muted">
              Seed
            </label>
            <div className="flex gap-1">
              <input
                id="seed"
                inputMode="numeric"
                value={values.seed}
                onChange={(e) => onChange({ seed: Number(e.target.value.replace(/\D/g, '').slice(0, 10)) || 0 })}
                className={`${field} font-mono`}
              />
              <IconButton label="New random seed" onClick={() => onChange({ seed: randomSeed() })}>
                <Dices size={16} />
              </IconButton>
            </div>
          </div>
          <div>
            <label htmlFor="size" className="mb-1.5 block text-xs font-medium text-muted">
              Output size
            </label>
            <select
              id="size"
              value={sizes.includes(values.size) ? values.size : 'auto'}
              onChange={(e) => onChange({ size: e.target.value })}
              className={field}
            >
              {sizes.map((s) => (
                <option key={s} value={s}>
                  {s === 'auto' ? 'Follow image 1' : s.replace('x', ' × ')}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="format" className="mb-1.5 block text-xs font-medium text-muted">
              Output format
            </label>
            <select
              id="format"
              value={values.format}
              onChange={(e) => onChange({ format: e.target.value as 'png' | 'jpeg' })}
              className={field}
            >
              <option value="png">PNG</option>
              <option value="jpeg">JPEG</option>
            </select>
          </div>
          {supports('strength') && (
            <Slider
              id="strength"
              label="Strength"
              min={0}
              max={1}
              step={0.05}
              value={values.strength}
              onChange={(v) => onChange({ strength: v })}
            />
          )}
          {supports('guidance') && (
            <Slider
              id="guidance"
              label="Guidance"
              min={0}
              max={20}
              step={0.5}
              value={values.guidance}
              onChange={(v) => onChange({ guidance: v })}
            />
          )}
        </div>
        <SafetyParams targets={chosen} value={values.safety} onChange={(safety) => onChange({ safety })} />
        <label className="flex items-center gap-2 text-xs text-muted">
          <input
            type="checkbox"
            checked={values.keepSeed}
            onChange={(e) => onChange({ keepSeed: e.target.checked })}
            className="accent-[var(--accent)]"
          />
          Keep this seed for the next run
        </label>

        {error && (
          <p role="alert" className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger">
            {error}
          </p>
        )}
        <div className="flex items-center justify-between gap-3">
          <p className="text-xs text-faint">
            {total} image{total === 1 ? '' : 's'} · {referenceCount} ref{referenceCount === 1 ? '' : 's'}
            {estimate?.summary && <> · {estimate.summary}</>}
          </p>
          {uploading && (
            <span id="upload-wait" role="status" className="text-xs text-muted">
              Uploading…
            </span>
          )}
          <Button type="submit" variant="primary" disabled={busy || uploading} aria-describedby={uploading ? 'upload-wait' : undefined}>
            {busy ? <Loader2 size={15} className="animate-spin" aria-hidden /> : <Sparkles size={15} aria-hidden />}
            Generate
          </Button>
        </div>
        {estimate?.warnings}
        <p className="flex justify-between gap-3 text-[11px] text-faint">
          {draftNote}
          <span className="ml-auto">Ctrl/⌘ + Enter</span>
        </p>
      </div>
    </form>
  );
}

function Slider(props: {
  id: string;
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
  onChange: (v: number) => void;
}) {
  return (
    <div>
      <label htmlFor={props.id} className="mb-1.5 flex justify-between text-xs font-medium text-muted">
        {props.label} <span className="font-mono text-faint">{props.value}</span>
      </label>
      <input
        id={props.id}
        type="range"
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        onChange={(e) => props.onChange(Number(e.target.value))}
        className="w-full accent-[var(--accent)]"
      />
    </div>
  );
}
