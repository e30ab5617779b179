import Link from 'next/link';
import { BudgetForm } from '@/components/ledger/budget-form';
import { SafetySection } from '@/components/safety/safety-section';
import { ProviderTable } from '@/components/settings/provider-table';
import { PageHeader } from '@/components/ui/page-header';
import { getContext } from '@/lib/server/context';
import { budgetState } from '@/lib/server/ledger/budget';
import { currentPriceTable } from '@/lib/server/ledger/prices';
import { accessRequired } from '@/lib/server/perimeter/config';
import { loadSafetyOverview } from '@/lib/server/safety/service';
import { loadProviderSettings } from '@/lib/server/services/providers';

export const dynamic = 'force-dynamic';

export default async function SettingsPage() {
  const providers = loadProviderSettings();
  const safety = await loadSafetyOverview(await getContext());
  const [prices, budget] = await Promise.all([currentPriceTable(await getContext()), budgetState(await getContext())]);
  return (
    <main className="mx-auto max-w-5xl px-6 py-8">
      <PageHeader title="Providers">
        Which providers this server can call, their models, what each model accepts and what it costs. Keys are set in <code>.env</code> on
        the server and are never shown here or sent to the browser.
      </PageHeader>
      <nav aria-label="Settings" className="mb-6 flex flex-wrap gap-x-5 gap-y-2 text-sm">
        <Link href="/providers" className="text-accent hover:underline">
          Provider dashboard
        </Link>
        <Link href="/settings/tokens" className="text-accent hover:underline">
          API tokens
        </Link>
        <Link href="/settings/api" className="text-accent hover:underline">
          API reference
        </Link>
        <a href="#budget-heading" className="text-accent hover:underline">
          Budget
        </a>
        <a href="#safety-heading" className="text-accent hover:underline">
          Safety
        </a>
        {accessRequired() && (
          <Link href="/sign-out" className="text-muted hover:text-ink">
            Sign out
          </Link>
        )}
      </nav>
      <BudgetForm initial={budget} />
      <ProviderTable providers={providers} prices={prices} />
      <SafetySection initial={safety} />
    </main>
  );
}
