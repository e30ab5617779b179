import { notFound } from 'next/navigation';
import { SessionSidebar } from '@/components/history/session-sidebar';
import { getContext } from '@/lib/server/context';
import { getLineage } from '@/lib/server/services/lineage';
import { loadStudio } from '@/lib/server/services/studio';
import { Studio, type StudioView } from './studio';

/** The session page in one of its views (runs, grid, lineage), beside the sidebar and composer. */
export async function SessionScreen({ id, view, fork }: { id: string; view: StudioView; fork?: string }) {
  const ctx = await getContext();
  const [data, lineage] = await Promise.all([loadStudio(ctx, id, fork), view === 'lineage' ? getLineage(ctx, id) : undefined]);
  if (!data) notFound();
  return (
    <div className="grid h-screen grid-cols-[248px_1fr]">
      <SessionSidebar initial={data.sessions} currentId={data.session.id} />
      <Studio
        key={`${data.session.id}:${fork ?? ''}`}
        view={view}
        session={data.session}
        firstPage={data.firstPage}
        targets={data.targets}
        engineHelp={data.engineHelp}
        fork={data.fork}
        lineage={lineage}
      />
    </div>
  );
}
