/**
 * Every client cache key, built here and nowhere else. Keys are hierarchical so one prefix
 * invalidates a family: `runKeys.all` refreshes every session's feed, `runKeys.feed(id)` one.
 * The TanStack query options that use them are in ./queries.ts.
 */

/** The session list's filters, exactly as the sidebar holds them (part of the key). */
export type SessionListFilters = { q: string; provider: string; status: string; starred: boolean; view: 'active' | 'archived' };

export const runKeys = {
  all: ['runs'] as const,
  /** A session's run feed (an infinite query, newest first). */
  feed: (sessionId: string) => ['runs', sessionId] as const,
};

export const gridKeys = {
  all: ['grid'] as const,
  /** A session's culling grid (an infinite query of variations). */
  session: (sessionId: string) => ['grid', sessionId] as const,
};

export const sessionKeys = {
  all: ['sessions'] as const,
  list: (filters: SessionListFilters) => ['sessions', 'list', filters] as const,
};

export const trayKeys = {
  /** The compare tray's items; the sidebar's count reads the same entry. */
  all: ['tray'] as const,
};

export const trashKeys = {
  all: ['trash'] as const,
};

export const lineageKeys = {
  all: ['lineage'] as const,
  /** A session's lineage tree (runs with their references and outputs). */
  session: (sessionId: string) => ['lineage', sessionId] as const,
};

export const galleryKeys = {
  all: ['galleries'] as const,
  /** The workspace's galleries, most recently changed first (sidebar, list page, "Add to gallery"). */
  list: () => ['galleries', 'list'] as const,
};

export const reviewKeys = {
  all: ['review'] as const,
  /** A gallery's review links, for its owner's share panel. */
  shares: (galleryId: string) => ['review', 'shares', galleryId] as const,
  /** A blind comparison's win rates, for its owner's blind panel. */
  blind: (galleryId: string) => ['review', 'blind', galleryId] as const,
};

export const ledgerKeys = {
  all: ['ledger'] as const,
  /** The providers dashboard's figures for one window and probe filter. */
  stats: (window: string, probes: string) => ['ledger', 'stats', window, probes] as const,
};
