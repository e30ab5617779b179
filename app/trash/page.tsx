import Link from 'next/link';
import { TrashList } from '@/components/trash/trash-list';
import { listTrash } from '@/lib/server/history/trash';

export const dynamic = 'force-dynamic';

export default async function TrashPage() {
  const entries = await listTrash();
  return (
    <main className="mx-auto max-w-4xl px-6 py-8">
      <nav className="mb-6 text-sm">
        <Link href="/" className="text-muted hover:text-ink">
          ← Back to the studio
        </Link>
      </nav>
      <h1 className="text-xl font-semibold tracking-tight">Trash</h1>
      <p className="mt-1 text-sm text-muted">Deleted sessions, runs and variations. Nothing here is gone: restore puts it back where it was.</p>
      <TrashList initial={entries} />
    </main>
  );
}
