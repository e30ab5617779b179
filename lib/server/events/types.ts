import 'server-only';
import type { VariationStatus } from '@/lib/schemas/run';

/**
 * One stored change, as small as a Postgres NOTIFY payload must be: ids only, never the row.
 * Listeners read the row themselves, after the change, so a late or repeated event is harmless.
 * - `variationId` set: that variation changed (`status` as stored, when the publisher knew it);
 * - `variationId` null, `runId` set: the run changed (created, deleted, restored);
 * - both null: the session itself changed (deleted, restored).
 */
export type ChangeEvent = {
  sessionId: string;
  runId: string | null;
  variationId: string | null;
  status: VariationStatus | null;
};

export type ChangeListener = (event: ChangeEvent) => void;

/**
 * Where changes are published and heard. The in-process bus (./memory-bus.ts) is one; one that
 * spans processes (Postgres LISTEN/NOTIFY) is another module with this shape, chosen in ./bus.ts.
 */
export interface EventBus {
  /** Never throws and never waits for listeners: publishers are the worker and the services. */
  publish(event: ChangeEvent): void;
  /** Returns the unsubscribe; calling it twice is harmless. */
  subscribe(sessionId: string, listener: ChangeListener): () => void;
  /**
   * True when an event published in any process reaches listeners in every process. The
   * in-process bus is false: a worker running elsewhere (scripts/worker.mts) is not heard.
   */
  readonly spansProcesses: boolean;
  /** Listeners currently subscribed (to one session, or in all): for tests and health. */
  listenerCount(sessionId?: string): number;
}
