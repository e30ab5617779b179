import 'server-only';
import { createMemoryBus } from './memory-bus';
import type { ChangeEvent, ChangeListener, EventBus } from './types';

export type { ChangeEvent, ChangeListener, EventBus } from './types';

// One bus per process, on globalThis: Next.js bundles instrumentation.ts (the worker) apart from
// the route handlers and actions, and module state is not shared between bundles.
const globalForBus = globalThis as unknown as { proofsheetEventBus?: EventBus };

/**
 * The process's bus. Today the in-process one: with SQLite the app and its worker normally
 * share one process. A bus across processes (Postgres LISTEN/NOTIFY, with a Postgres database)
 * is chosen here by the database's kind, behind the same interface.
 */
export function eventBus(): EventBus {
  globalForBus.proofsheetEventBus ??= createMemoryBus();
  return globalForBus.proofsheetEventBus;
}

/** Replaces the bus (tests); returns the one it replaced. */
export function setEventBus(bus: EventBus): EventBus | undefined {
  const previous = globalForBus.proofsheetEventBus;
  globalForBus.proofsheetEventBus = bus;
  return previous;
}

export function publish(event: ChangeEvent): void {
  eventBus().publish(event);
}

export function subscribe(sessionId: string, listener: ChangeListener): () => void {
  return eventBus().subscribe(sessionId, listener);
}
