import { cn } from '@/lib/cn';
import type { ProviderSettings } from '@/lib/server/services/providers';
import type { PriceRow } from '@/lib/schemas/ledger';
import { PriceCell } from '../ledger/price-cell';

/** One section per provider: status, then a row per model with its capabilities and price. */
export function ProviderTable({ providers, prices }: { providers: ProviderSettings[]; prices: Record<string, PriceRow | null> }) {
  return (
    <div className="mt-6 space-y-5">
      {providers.map((p) => (
        <section key={p.id} aria-label={p.label} className="overflow-x-auto rounded-xl border border-line bg-panel">
          <header className="flex flex-wrap items-center gap-3 border-b border-line px-4 py-3">
            <h2 className="text-sm font-semibold">{p.label}</h2>
            <span
              className={cn('rounded-full px-2 py-0.5 text-[11px] font-medium', p.configured ? 'bg-ok/15 text-ok' : 'bg-raised text-muted')}
            >
              {p.configured ? 'Configured' : 'Not configured'}
            </span>
            {!p.configured && p.envKey && <span className="text-xs text-muted">add {p.envKey} to .env</span>}
          </header>
          <table className="w-full min-w-[36rem] text-left text-xs">
            <thead className="text-faint">
              <tr>
                <th className="px-4 py-2 font-medium">Model</th>
                <th className="px-2 py-2 font-medium">Price</th>
                <th className="px-2 py-2 font-medium">References</th>
                <th className="px-2 py-2 font-medium">Sizes</th>
                <th className="px-2 py-2 font-medium">Controls</th>
                <th className="px-4 py-2 font-medium">Formats</th>
              </tr>
            </thead>
            <tbody>
              {p.targets.map((t) => {
                const c = t.capabilities;
                const controls = [
                  c.seed && 'seed',
                  c.negativePrompt && 'negative prompt',
                  c.strength && 'strength',
                  c.guidance && 'guidance',
                  c.safety &&
                    (c.safety.kind === 'level'
                      ? `${c.safety.field} ${c.safety.min}–${c.safety.max} (default ${c.safety.default})`
                      : `safety checker (default ${c.safety.default ? 'on' : 'off'})`),
                ].filter(Boolean);
                return (
                  <tr key={t.id} className="border-t border-line align-top">
                    <td className="px-4 py-2">
                      <span className="block font-medium text-ink">{t.label}</span>
                      <span className="font-mono text-[11px] text-faint">{t.model}</span>
                    </td>
                    {/* Second, so a phone sees the price without scrolling the table sideways. */}
                    <td className="px-2 py-2 text-muted">
                      <PriceCell targetId={t.id} label={t.label} initial={prices[t.id] ?? null} />
                    </td>
                    <td className="px-2 py-2 text-muted">
                      up to {c.maxReferences}
                      {c.maxReferences === 1 && c.overflow === 'stitch' ? ' (more are stitched)' : ''}
                    </td>
                    <td className="px-2 py-2 text-muted">{c.sizes.join(', ')}</td>
                    <td className="px-2 py-2 text-muted">{controls.length ? controls.join(', ') : '—'}</td>
                    <td className="px-4 py-2 uppercase text-muted">{c.formats.join(', ')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
