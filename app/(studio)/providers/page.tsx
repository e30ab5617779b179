import Link from 'next/link';
import { Dashboard } from '@/components/ledger/dashboard';
import { PageHeader } from '@/components/ui/page-header';
import { getContext } from '@/lib/server/context';
import { ledgerStats } from '@/lib/server/ledger/stats';
import { loadProviderSettings } from '@/lib/server/services/providers';

export const dynamic = 'force-dynamic';

export default async function ProvidersDashboardPage() {
  const initial = await ledgerStats(await getContext(), { window: '7d', probes: 'include' });
  const probeTargets = loadProviderSettings()
    .filter((p) => p.configured)
    .flatMap((p) => p.targets.map((t) => ({ id: t.id, label: t.label })));
  return (
    <main className="mx-auto max-w-7xl px-4 py-8 sm:px-6">
      <PageHeader title="Provider dashboard">
        Latency, reliability and cost of every target, from every run in this studio: the studio, the API and probes. Prices and budgets are
        under{' '}
        <Link href="/settings" className="text-accent hover:underline">
          Settings → Providers
        </Link>
        .
      </PageHeader>
      <Dashboard initial={initial} probeTargets={probeTargets} />
    </main>
  );
}
