import { TrayCompare } from '@/components/compare/tray-compare';
import { PageHeader } from '@/components/ui/page-header';
import { getContext } from '@/lib/server/context';
import { listTray } from '@/lib/server/services/tray';

export const dynamic = 'force-dynamic';

export default async function ComparePage() {
  const items = await listTray(await getContext());
  return (
    <main className="flex min-h-screen flex-col px-6 py-6">
      <PageHeader title="Compare tray">
        Images set aside from any run, provider or session, labelled by what differs between them.
      </PageHeader>
      <TrayCompare initial={items} />
    </main>
  );
}
