import Link from 'next/link';
import { ProviderTable } from '@/components/settings/provider-table';
import { loadProviderSettings } from '@/lib/server/queries/providers';

export const dynamic = 'force-dynamic';

export default function SettingsPage() {
  const providers = loadProviderSettings();
  return (
    <main className="mx-auto max-w-5xl px-6 py-8">
      <nav className="mb-6 text-sm">
        <Link href="/" className="text-muted hover:text-ink">
          ← Back to the studio
        </Link>
      </nav>
      <h1 className="text-xl font-semibold tracking-tight">Providers</h1>
      <p className="mt-1 max-w-2xl text-sm text-muted">
        Which providers this server can call, their models, what each model accepts and what it costs. Keys are set in <code>.env</code> on the
        server and are never shown here or sent to the browser.
      </p>
      <ProviderTable providers={providers} />
    </main>
  );
}
