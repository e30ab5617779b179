import 'server-only';
import type { ChangeListener, EventBus } from './types';

/**
 * The bus within one Node.js process: a set of listeners per session. Delivery is synchronous
 * and each listener is isolated (one that throws is logged; the others still hear the event).
 */
export function createMemoryBus(): EventBus & { sessions(): string[] } {
  const listeners = new Map<string, Set<ChangeListener>>();
  return {
    spansProcesses: false,
    publish(event) {
      const set = listeners.get(event.sessionId);
      if (!set) return;
      // A copy: a listener may unsubscribe (or subscribe another) while we iterate.
      for (const listener of [...set]) {
        try {
          listener(event);
        } catch (e) {
          console.error('[events] a listener failed:', e instanceof Error ? e.message : e);
        }
      }
    },
    subscribe(sessionId, listener) {
      const set = listeners.get(sessionId) ?? new Set<ChangeListener>();
      listeners.set(sessionId, set);
      // Wrapped, so the same function subscribed twice is two subscriptions, each removed once.
      const entry: ChangeListener = (e) => listener(e);
      set.add(entry);
      return () => {
        const current = listeners.get(sessionId);
        if (!current?.delete(entry)) return;
        // No empty sets left behind: a session visited once costs nothing after its tab closes.
        if (current.size === 0) listeners.delete(sessionId);
      };
    },
    /** Sessions with a subscriber (the Postgres bus re-announces them after a reconnect). */
    sessions: () => [...listeners.keys()],
    listenerCount(sessionId) {
      if (sessionId !== undefined) return listeners.get(sessionId)?.size ?? 0;
      let n = 0;
      for (const set of listeners.values()) n += set.size;
      return n;
    },
  };
}
