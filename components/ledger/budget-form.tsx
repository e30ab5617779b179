'use client';

import { useQueryClient } from '@tanstack/react-query';
import { Wallet } from 'lucide-react';
import { useId, useState, useTransition } from 'react';
import { setBudgetAction } from '@/lib/server/actions/ledger';
import { type BudgetState, formatUsd } from '@/lib/schemas/ledger';
import { Button } from '../ui/button';

const field = 'w-32 rounded-md border border-line bg-panel px-2.5 py-1.5 font-mono text-sm text-ink';

/** "" → no limit; else a positive number of dollars, or an error message. */
function parseLimit(text: string): number | null | string {
  const t = text.trim().replace(/^\$/, '');
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) && n > 0 ? n : 'Enter an amount in US dollars above 0, or leave it empty for no limit.';
}

/**
 * Settings → Budgets: the workspace's monthly budget and per-session cap. A run whose estimate
 * would cross one is refused before anything is sent; from 80 % a warning shows beside Generate.
 */
export function BudgetForm({ initial }: { initial: BudgetState }) {
  const [state, setState] = useState(initial);
  const [monthly, setMonthly] = useState(initial.monthlyUsd === null ? '' : String(initial.monthlyUsd));
  const [cap, setCap] = useState(initial.sessionCapUsd === null ? '' : String(initial.sessionCapUsd));
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [pending, start] = useTransition();
  const queryClient = useQueryClient();
  const id = useId();

  const save = () => {
    const monthlyUsd = parseLimit(monthly);
    const sessionCapUsd = parseLimit(cap);
    const bad = [monthlyUsd, sessionCapUsd].find((v) => typeof v === 'string');
    if (bad) {
      setMessage({ tone: 'error', text: bad as string });
      return;
    }
    start(async () => {
      const r = await setBudgetAction({ monthlyUsd: monthlyUsd as number | null, sessionCapUsd: sessionCapUsd as number | null });
      if (!r.ok) {
        setMessage({ tone: 'error', text: r.error.message });
        return;
      }
      setState(r.data);
      setMessage({ tone: 'ok', text: 'Budget saved.' });
      await queryClient.invalidateQueries({ queryKey: ['ledger', 'estimate'] });
    });
  };

  const share = state.monthlyUsd ? Math.round((state.monthCommittedUsd / state.monthlyUsd) * 100) : null;
  return (
    <section aria-labelledby="budget-heading" className="mt-6 rounded-xl border border-line bg-panel p-4">
      <div className="flex flex-wrap items-center gap-2">
        <Wallet aria-hidden className="size-4 text-muted" />
        <h2 id="budget-heading" className="text-sm font-semibold">
          Budget
        </h2>
        <span className="text-xs text-muted">
          This month (UTC): {formatUsd(state.monthCommittedUsd)} spent or committed
          {state.monthlyUsd !== null && ` of ${formatUsd(state.monthlyUsd)} (${share} %)`}
        </span>
      </div>
      <p className="mt-1 max-w-2xl text-xs text-muted">
        A run whose estimate would cross a limit is refused before anything is sent to a provider; from 80 % a warning shows beside
        Generate. Spent is each finished variation’s cost (the provider’s figure where it reports one, else the estimate); committed is the
        estimate of work still queued or running. Targets without a known price count as $0.
      </p>
      <form
        className="mt-3 flex flex-wrap items-end gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <div>
          <label htmlFor={`${id}-monthly`} className="mb-1 block text-xs font-medium text-muted">
            Monthly budget (USD)
          </label>
          <input
            id={`${id}-monthly`}
            inputMode="decimal"
            placeholder="none"
            value={monthly}
            onChange={(e) => setMonthly(e.target.value)}
            className={field}
          />
        </div>
        <div>
          <label htmlFor={`${id}-cap`} className="mb-1 block text-xs font-medium text-muted">
            Per-session cap (USD)
          </label>
          <input
            id={`${id}-cap`}
            inputMode="decimal"
            placeholder="none"
            value={cap}
            onChange={(e) => setCap(e.target.value)}
            className={field}
          />
        </div>
        <Button type="submit" variant="primary" disabled={pending}>
          Save budget
        </Button>
        {message && (
          <p
            role={message.tone === 'error' ? 'alert' : 'status'}
            className={message.tone === 'error' ? 'text-xs text-danger' : 'text-xs text-ok'}
          >
            {message.text}
          </p>
        )}
      </form>
    </section>
  );
}
