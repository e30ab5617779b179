import type { GridItem, GridPage } from '@/lib/schemas/history';

/** Small grid items and pages for the pure-module tests. */
export function gridItem(id: string, over: Partial<GridItem> = {}): GridItem {
  return {
    id,
    targetId: 'fal:flux-kontext',
    provider: 'fal',
    model: 'flux-kontext',
    index: 0,
    seed: 1,
    status: 'succeeded',
    jobId: null,
    errorCode: null,
    errorMessage: null,
    queuedAt: '2026-01-01T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    costUsd: null,
    costSource: null,
    adaptations: [],
    output: { id: `asset-${id}`, sha256: 'a'.repeat(64), mime: 'image/webp', width: 64, height: 64 },
    starred: false,
    rating: null,
    note: '',
    runId: 'run',
    runNumber: 1,
    instruction: 'make it blue',
    ...over,
  };
}

export function gridPages(pages: GridItem[][], lastCursor: string | null = null): { pages: GridPage[]; pageParams: (string | null)[] } {
  const total = pages.reduce((n, p) => n + p.length, 0);
  return {
    pages: pages.map((items, i) => ({ items, total, nextCursor: i < pages.length - 1 ? (items.at(-1)?.id ?? null) : lastCursor })),
    pageParams: pages.map((_, i) => (i === 0 ? null : (pages[i - 1]!.at(-1)?.id ?? null))),
  };
}
