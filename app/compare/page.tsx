import Link from 'next/link';
import { TrayCompare } from '@/components/compare/tray-compare';
import { listTray } from '@/lib/server/history/tray';

export const dynamic = 'force-dynamic';

export default async function ComparePage() {
  const items = await listTray();
  return (
    <main className="flex min-h-screen flex-col px-6 py-6">
      <nav className="mb-4 text-sm">
        <Link href="/" className="text-muted hover:text-ink">
          ← Back to the studio
        </Link>
      </nav>
      <h1 className="text-xl font-semibold tracking-tight">Compare tray</h1>
      <p className="mt-1 text-sm text-muted">Images set aside from any run, provider or session, labelled by what differs between them.</p>
      <TrayCompare initial={items} />
    </main>
  );
}
