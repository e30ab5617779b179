'use client';

import { ShieldAlert, ShieldCheck, ShieldOff, Trash2 } from 'lucide-react';
import { useId, useState, useTransition } from 'react';
import { cn } from '@/lib/cn';
import { findTarget } from '@/lib/providers/catalog';
import { addSafetyRuleAction, removeSafetyRuleAction } from '@/lib/server/actions/safety';
import {
  MAX_PATTERN_LENGTH,
  MAX_WORD_LENGTH,
  patternProblem,
  type SafetyEventDto,
  type SafetyOverview,
  type SafetyRuleDto,
  type SafetyRuleKind,
} from '@/lib/schemas/safety';
import { Button } from '../ui/button';

/**
 * Settings → Safety: whether moderation is on, the workspace blocklist (add and remove words and
 * patterns) and the runs the pre-check refused most recently.
 */
export function SafetySection({ initial }: { initial: SafetyOverview }) {
  const [rules, setRules] = useState(initial.rules);
  return (
    <section aria-labelledby="safety-heading" className="mt-10 space-y-5">
      <div>
        <h2 id="safety-heading" className="text-lg font-semibold tracking-tight">
          Safety
        </h2>
        <p className="mt-1 max-w-2xl text-sm text-muted">
          Every run is checked before anything is sent to a provider, from the studio, the API and batches alike. A refused run is not
          created, nothing is billed, and the refusal is listed below.
        </p>
      </div>
      <ModerationCard moderation={initial.moderation} />
      <BlocklistEditor rules={rules} setRules={setRules} />
      <RecentEvents events={initial.events} />
    </section>
  );
}

function ModerationCard({ moderation }: { moderation: SafetyOverview['moderation'] }) {
  const Icon = moderation.active ? ShieldCheck : moderation.mode === 'off' ? ShieldOff : ShieldAlert;
  return (
    <section className="rounded-xl border border-line bg-panel p-4" aria-label="Moderation">
      <div className="flex flex-wrap items-center gap-2">
        <Icon aria-hidden className={cn('size-4', moderation.active ? 'text-ok' : 'text-muted')} />
        <h3 className="text-sm font-semibold">Moderation</h3>
        <span
          className={cn(
            'rounded-full px-2 py-0.5 text-[11px] font-medium',
            moderation.active ? 'bg-ok/15 text-ok' : 'bg-raised text-muted',
          )}
        >
          {moderation.active ? 'On' : moderation.mode === 'off' ? 'Off' : 'Not available'}
        </span>
        {moderation.mode === 'openai' && (
          <span className="text-xs text-muted">
            {moderation.model} · if it is down: {moderation.onError === 'block' ? 'refuse runs' : 'send unchecked'}
          </span>
        )}
      </div>
      <p className="mt-2 text-sm text-muted">{moderation.note}</p>
    </section>
  );
}

function BlocklistEditor({ rules, setRules }: { rules: SafetyRuleDto[]; setRules: (f: (r: SafetyRuleDto[]) => SafetyRuleDto[]) => void }) {
  const [kind, setKind] = useState<SafetyRuleKind>('word');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const kindId = useId();
  const valueId = useId();
  const hintId = useId();

  const add = () =>
    start(async () => {
      const local = kind === 'pattern' ? patternProblem(value.trim()) : undefined;
      if (local) return setError(local);
      setError(null);
      const result = await addSafetyRuleAction({ kind, value });
      // A form problem names the field; a refusal (already listed, too many) says it whole.
      if (!result.ok)
        return setError(
          result.error.code === 'invalid_input' ? (result.error.fields?.value ?? result.error.message) : result.error.message,
        );
      setRules((list) => [...list, result.data]);
      setValue('');
    });

  const remove = (rule: SafetyRuleDto) =>
    start(async () => {
      setError(null);
      const result = await removeSafetyRuleAction({ ruleId: rule.id });
      if (!result.ok && result.error.code !== 'not_found') return setError(result.error.message);
      setRules((list) => list.filter((r) => r.id !== rule.id));
    });

  return (
    <div className="rounded-xl border border-line bg-panel p-4">
      <h3 className="text-sm font-semibold">Blocklist</h3>
      <p id={hintId} className="mt-1 max-w-2xl text-xs text-muted">
        Checked against the instruction and the negative prompt. <strong className="font-medium text-ink">Words</strong> match whole words
        in any case after Unicode normalisation, ignoring separators: “Brand-X” also blocks “brand x”, “BRAND_X” and “brandx”, but not
        “brand-xylophone”. <strong className="font-medium text-ink">Patterns</strong> are regular expressions, case-insensitive; nested
        repetition such as <code>(a+)+</code> and back-references are refused.
      </p>
      <form
        className="mt-3 flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <div>
          <label htmlFor={kindId} className="block text-xs font-medium text-muted">
            Rule type
          </label>
          <select
            id={kindId}
            value={kind}
            onChange={(e) => setKind(e.target.value as SafetyRuleKind)}
            className="mt-1 h-9 rounded-md border border-line bg-canvas px-2 text-sm"
          >
            <option value="word">Word or phrase</option>
            <option value="pattern">Pattern (regex)</option>
          </select>
        </div>
        <div className="min-w-0 flex-1 basis-56">
          <label htmlFor={valueId} className="block text-xs font-medium text-muted">
            {kind === 'word' ? 'Blocked word' : 'Blocked pattern'}
          </label>
          <input
            id={valueId}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            maxLength={kind === 'word' ? MAX_WORD_LENGTH : MAX_PATTERN_LENGTH}
            required
            aria-describedby={hintId}
            aria-invalid={error ? true : undefined}
            placeholder={kind === 'word' ? 'e.g. Brand-X' : 'e.g. sku-\\d{4}'}
            spellCheck={false}
            className={cn('mt-1 h-9 w-full rounded-md border border-line bg-canvas px-2 text-sm', kind === 'pattern' && 'font-mono')}
          />
        </div>
        <Button type="submit" variant="primary" disabled={pending || value.trim() === ''}>
          Add to blocklist
        </Button>
      </form>
      {error && (
        <p role="alert" className="mt-2 text-sm text-danger">
          {error}
        </p>
      )}
      {rules.length === 0 ? (
        <p className="mt-3 text-sm text-muted">No rules yet: only moderation (when on) and the providers’ own filters apply.</p>
      ) : (
        <ul aria-label="Blocklist rules" className="mt-3 flex flex-wrap gap-2">
          {rules.map((r) => (
            <li
              key={r.id}
              className="flex max-w-full items-center gap-1.5 rounded-full border border-line bg-canvas py-0.5 pr-1 pl-2.5 text-sm"
            >
              <span className="text-[10px] font-medium uppercase tracking-wide text-faint">{r.kind === 'word' ? 'word' : 'regex'}</span>
              <span className={cn('min-w-0 truncate', r.kind === 'pattern' && 'font-mono text-xs')}>{r.value}</span>
              <button
                type="button"
                onClick={() => remove(r)}
                disabled={pending}
                aria-label={`Remove “${r.value}”`}
                className="rounded-full p-1 text-muted hover:bg-raised hover:text-danger"
              >
                <Trash2 aria-hidden className="size-3.5" />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function RecentEvents({ events }: { events: SafetyEventDto[] }) {
  return (
    <div className="rounded-xl border border-line bg-panel p-4">
      <h3 className="text-sm font-semibold">Recent refusals</h3>
      {events.length === 0 ? (
        <p className="mt-2 text-sm text-muted">No run has been refused.</p>
      ) : (
        <ol aria-label="Recent refusals" className="mt-2 divide-y divide-line">
          {events.map((e) => (
            <li key={e.id} className="py-2.5 text-sm" data-testid="safety-event">
              <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted">
                <time dateTime={e.createdAt}>{new Date(e.createdAt).toLocaleString()}</time>
                <span className="rounded-full bg-raised px-2 py-0.5 font-medium">
                  {e.source === 'blocklist' ? 'Blocklist' : 'Moderation'}
                </span>
                <span className="min-w-0 truncate">{e.targets.map((id) => findTarget(id)?.label ?? id).join(', ')}</span>
              </div>
              <p className="mt-1 text-ink">{e.reason}</p>
              <p className="mt-0.5 line-clamp-2 break-words text-xs text-muted">“{e.instruction}”</p>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
