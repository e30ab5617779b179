import 'server-only';
import { databaseConfig } from '../db/client';
import { createMemoryBus } from './memory-bus';
import { createPgBus } from './pg-bus';
import type { ChangeEvent, ChangeListener, EventBus } from './types';

export type { ChangeEvent, ChangeListener, EventBus } from './types';

// One bus per process, on globalThis: Next.js bundles instrumentation.ts (the worker) apart from
// the route handlers and actions, and module state is not shared between bundles.
// Keyed by the database it was made for (tests point DATABASE_URL at a new database per file).
const globalForBus = globalThis as unknown as { proofsheetEventBus?: EventBus; proofsheetEventBusKey?: string };

/**
 * The process's bus, chosen by the database's kind: on PostgreSQL, LISTEN/NOTIFY (./pg-bus.ts),
 * so a worker in another process or on another machine reaches every web server's open pages;
 * on SQLite the in-process one (the app and its worker normally share one process).
 */
export function eventBus(): EventBus {
  const config = databaseConfig();
  const key = config.kind === 'postgres' ? config.url : 'memory';
  if (
    !globalForBus.proofsheetEventBus ||
    (globalForBus.proofsheetEventBusKey !== undefined && globalForBus.proofsheetEventBusKey !== key)
  ) {
    const old = globalForBus.proofsheetEventBus as { close?: () => Promise<void> } | undefined;
    void old?.close?.();
    globalForBus.proofsheetEventBus = config.kind === 'postgres' ? createPgBus({ url: config.url }) : createMemoryBus();
    globalForBus.proofsheetEventBusKey = key;
  }
  return globalForBus.proofsheetEventBus;
}

/** Replaces the bus (tests); returns the one it replaced. */
export function setEventBus(bus: EventBus): EventBus | undefined {
  const previous = globalForBus.proofsheetEventBus;
  globalForBus.proofsheetEventBus = bus;
  globalForBus.proofsheetEventBusKey = undefined;
  return previous;
}

export function publish(event: ChangeEvent): void {
  eventBus().publish(event);
}

export function subscribe(sessionId: string, listener: ChangeListener): () => void {
  return eventBus().subscribe(sessionId, listener);
}
