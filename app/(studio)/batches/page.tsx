import Link from 'next/link';
import { NewBatchForm } from '@/components/batches/new-batch-form';
import { PageHeader } from '@/components/ui/page-header';
import { CATALOG, PROVIDERS } from '@/lib/providers/catalog';
import type { StudioTarget } from '@/lib/schemas/studio';
import { listBatches } from '@/lib/server/batches/view';
import { getContext } from '@/lib/server/context';
import { configuredProviders } from '@/lib/server/providers/registry';

export const dynamic = 'force-dynamic';

export default async function BatchesPage() {
  const batches = await listBatches(await getContext());
  const configured = configuredProviders();
  const targets: StudioTarget[] = CATALOG.map((t) => ({
    ...t,
    providerLabel: PROVIDERS[t.provider].label,
    configured: configured[t.provider],
    envKey: PROVIDERS[t.provider].envKey,
  }));
  return (
    <main className="mx-auto max-w-4xl space-y-6 px-6 py-8">
      <PageHeader title="Batches">
        One instruction applied to each of many images: a catalog in one go, with its progress and an export.
      </PageHeader>
      <NewBatchForm targets={targets} />
      {batches.length > 0 && (
        <section aria-label="Recent batches">
          <h2 className="mb-2 text-sm font-medium">Recent batches</h2>
          <ul className="divide-y divide-line rounded-lg border border-line">
            {batches.map((b) => (
              <li key={b.id}>
                <Link href={`/batches/${b.id}`} className="flex justify-between gap-4 px-3 py-2 text-sm hover:bg-raised">
                  <span className="truncate">{b.instruction}</span>
                  <span className="shrink-0 text-muted">
                    {b.total} images · {b.status}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
