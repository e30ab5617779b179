'use client';

import { useQuery } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { lineageQuery } from '@/lib/client/queries';
import type { RunPage } from '@/lib/schemas/run';
import { CullingGrid } from '../grid/culling-grid';
import { useRunEdits } from '../history/use-run-edits';
import { LineageView } from '../lineage/lineage-view';
import { Button } from '../ui/button';
import { RunFeed } from './run-feed';
import { useStudio } from './studio';

/** The run feed, starting from the page the server rendered for this visit. */
export function RunsView({ firstPage }: { firstPage: RunPage }) {
  const { session, targetMap, openCompare, forkFrom, retry, rerun, tweak } = useStudio();
  return (
    <RunFeed
      sessionId={session.id}
      firstPage={firstPage}
      targets={targetMap}
      onOpen={(run, v, loaded) => openCompare({ run, variationId: v.id, loaded })}
      onUseAsReference={(v) => v.output && forkFrom(v.id, v.output, `variation-${v.index + 1}-seed-${v.seed}`)}
      onRetry={retry}
      onRerun={rerun}
      onTweak={tweak}
    />
  );
}

/** Every variation of the session, to cull with the keyboard. */
export function GridView() {
  const router = useRouter();
  const { session } = useStudio();
  return <CullingGrid sessionId={session.id} onOpen={(item) => router.push(`/v/${item.id}`)} />;
}

/** The session's lineage tree, fetched and kept current on the client like the run feed. */
export function LineagePane() {
  const { session, forkFrom } = useStudio();
  const edits = useRunEdits(session.id);
  const { data, error, isPending, refetch } = useQuery(lineageQuery(session.id));

  if (isPending) {
    return (
      <p role="status" className="flex items-center justify-center gap-2 py-16 text-sm text-muted">
        <Loader2 size={16} className="animate-spin" aria-hidden /> Loading the lineage…
      </p>
    );
  }
  if (!data) {
    return (
      <div role="alert" className="flex flex-wrap items-center gap-3 text-sm text-danger">
        {error instanceof TypeError ? 'The server did not answer.' : (error?.message ?? 'The lineage could not be loaded.')}
        <Button size="sm" onClick={() => void refetch()}>
          Try again
        </Button>
      </div>
    );
  }
  const find = (variationId: string) =>
    data.runs.flatMap((r) => r.variations.map((v) => ({ ...v, run: r }))).find((v) => v.id === variationId);
  return (
    <LineageView
      dto={data}
      onFork={(variationId) => {
        const v = find(variationId);
        if (v?.output) forkFrom(v.id, v.output, `run-${v.run.number}-variation-${v.index + 1}`);
      }}
      onAddToTray={(variationId) => {
        const v = find(variationId);
        if (v?.output) void edits.addToTray([{ assetId: v.output.id, variationId }]);
      }}
    />
  );
}
