'use client';

import { useRouter } from 'next/navigation';
import type { RunPage } from '@/lib/schemas/run';
import { CullingGrid } from '../grid/culling-grid';
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

/** The session's lineage tree, a page at a time: components/lineage/lineage-pane.tsx. */
export { LineagePane } from '../lineage/lineage-pane';
