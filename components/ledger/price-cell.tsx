'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { History, Pencil } from 'lucide-react';
import { useId, useState, useTransition } from 'react';
import { priceHistoryAction, setPriceAction } from '@/lib/server/actions/ledger';
import { formatUsd, PRICE_UNITS, type PriceRow, type PriceUnit } from '@/lib/schemas/ledger';
import { Button } from '../ui/button';

const UNIT_LABEL: Record<PriceUnit, string> = { image: 'image', megapixel: 'megapixel', second: 'second' };
const field = 'rounded-md border border-line bg-panel px-2 py-1 text-xs text-ink';

/**
 * A target's price on the providers page: the price in effect, where it comes from, an edit
 * form (a new dated row; older rows and past costs stay) and the full history on demand.
 */
export function PriceCell({ targetId, label, initial }: { targetId: string; label: string; initial: PriceRow | null }) {
  const [price, setPrice] = useState(initial);
  const [editing, setEditing] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const [amount, setAmount] = useState(initial ? String(initial.amountUsd) : '');
  const [unit, setUnit] = useState<PriceUnit>(initial?.unit ?? 'image');
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const queryClient = useQueryClient();
  const id = useId();
  const historyKey = ['ledger', 'price-history', targetId] as const;
  const history = useQuery({
    queryKey: historyKey,
    queryFn: async () => {
      const r = await priceHistoryAction({ targetId });
      if (!r.ok) throw new Error(r.error.message);
      return r.data;
    },
    enabled: showHistory,
  });

  const save = () => {
    const value = Number(amount);
    if (amount.trim() === '' || !Number.isFinite(value) || value < 0) {
      setError('Enter a price in US dollars, 0 or more.');
      return;
    }
    start(async () => {
      const r = await setPriceAction({ targetId, unit, amountUsd: value });
      if (!r.ok) {
        setError(r.error.message);
        return;
      }
      setPrice(r.data);
      setError(null);
      setEditing(false);
      await queryClient.invalidateQueries({ queryKey: historyKey });
      await queryClient.invalidateQueries({ queryKey: ['ledger', 'estimate'] });
    });
  };

  return (
    <div className="min-w-44 space-y-1">
      <span className="block text-ink">{price ? `${formatUsd(price.amountUsd)} / ${UNIT_LABEL[price.unit]}` : 'unknown'}</span>
      {price && (
        <span className="line-clamp-2 text-[11px] text-faint" title={price.source}>
          {price.fromCatalog ? price.source : `Edited ${price.effectiveAt.slice(0, 10)}`}
        </span>
      )}
      {!price && <span className="text-[11px] text-faint">No published price: runs count as $0 against budgets until one is set.</span>}
      <div className="flex gap-1">
        <Button
          size="sm"
          variant="ghost"
          aria-label={`Edit price of ${label}`}
          aria-expanded={editing}
          onClick={() => setEditing((e) => !e)}
        >
          <Pencil size={12} aria-hidden /> Edit
        </Button>
        <Button
          size="sm"
          variant="ghost"
          aria-label={`Price history of ${label}`}
          aria-expanded={showHistory}
          onClick={() => setShowHistory((s) => !s)}
        >
          <History size={12} aria-hidden /> History
        </Button>
      </div>
      {editing && (
        <form
          className="space-y-1.5 rounded-md border border-line bg-raised p-2"
          aria-label={`New price for ${label}`}
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <div className="flex flex-wrap items-center gap-1.5">
            <label htmlFor={`${id}-amount`} className="sr-only">
              Price in USD
            </label>
            <span aria-hidden className="text-muted">
              $
            </span>
            <input
              id={`${id}-amount`}
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              className={`${field} w-20 font-mono`}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
            />
            <label htmlFor={`${id}-unit`} className="text-muted">
              per
            </label>
            <select id={`${id}-unit`} value={unit} onChange={(e) => setUnit(e.target.value as PriceUnit)} className={field}>
              {PRICE_UNITS.map((u) => (
                <option key={u} value={u}>
                  {UNIT_LABEL[u]}
                </option>
              ))}
            </select>
          </div>
          {unit === 'second' && (
            <p className="text-[11px] text-faint">Per-second prices cannot be estimated before a run: estimates show “unknown”.</p>
          )}
          {error && (
            <p id={`${id}-error`} role="alert" className="text-[11px] text-danger">
              {error}
            </p>
          )}
          <div className="flex gap-1">
            <Button size="sm" type="submit" variant="primary" disabled={pending}>
              Save price
            </Button>
            <Button size="sm" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </div>
          <p className="text-[11px] text-faint">Applies from now on; past runs keep the cost they were given.</p>
        </form>
      )}
      {showHistory && (
        <ol aria-label={`Price history of ${label}`} className="space-y-1 border-l border-line pl-2 text-[11px]">
          {history.isPending && <li className="text-faint">Loading…</li>}
          {history.error && <li className="text-danger">{history.error.message}</li>}
          {history.data?.length === 0 && <li className="text-faint">No price has been set.</li>}
          {history.data?.map((h) => (
            <li key={h.id ?? 'catalog'}>
              <span className="font-mono text-ink">{formatUsd(h.amountUsd)}</span> / {UNIT_LABEL[h.unit]} ·{' '}
              {h.fromCatalog ? 'since the start' : new Date(h.effectiveAt).toLocaleString()} ·{' '}
              <span className="text-faint">{h.fromCatalog ? h.source : 'edited'}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
