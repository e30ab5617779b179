import { ProviderTable } from '@/components/settings/provider-table';
import { PageHeader } from '@/components/ui/page-header';
import { loadProviderSettings } from '@/lib/server/services/providers';

export const dynamic = 'force-dynamic';

export default function SettingsPage() {
  const providers = loadProviderSettings();
  return (
    <main className="mx-auto max-w-5xl px-6 py-8">
      <PageHeader title="Providers">
        Which providers this server can call, their models, what each model accepts and what it costs. Keys are set in <code>.env</code> on
        the server and are never shown here or sent to the browser.
      </PageHeader>
      <ProviderTable providers={providers} />
    </main>
  );
}
