import { notFound } from 'next/navigation';
import { SessionSidebar } from '@/components/history/session-sidebar';
import { Studio } from '@/components/studio/studio';
import { loadStudio } from '@/lib/server/queries/studio';

export const dynamic = 'force-dynamic';

export default async function SessionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const data = await loadStudio(id);
  if (!data) notFound();
  return (
    <div className="grid h-screen grid-cols-[232px_1fr]">
      <SessionSidebar sessions={data.sessions} currentId={data.session.id} />
      <Studio key={data.session.id} session={data.session} firstPage={data.firstPage} targets={data.targets} engineHelp={data.engineHelp} />
    </div>
  );
}
