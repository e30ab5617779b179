import type { RunDto, VariationDto } from './run';

/**
 * What a session's event stream (`GET /api/sessions/:id/events`, Server-Sent Events) sends, as
 * the `data` of its `change` events: the changed row itself, read after the change was stored,
 * so an open page patches its caches in place instead of refetching.
 */
export type SessionChange =
  /** A variation's state changed (queued, submitting, running, finished; also a restore). */
  | { type: 'variation'; runId: string; run: { number: number; instruction: string }; variation: VariationDto }
  /** The variation, or the run holding it, is deleted. */
  | { type: 'variation-removed'; runId: string; variationId: string }
  /** A run was created or restored (its variations included). */
  | { type: 'run'; run: RunDto }
  /** The run is deleted. */
  | { type: 'run-removed'; runId: string }
  /** The session itself changed (deleted or restored): reload what is shown. */
  | { type: 'session' };

/**
 * The stream's first event. `complete` is false when some state changes are made where this
 * server cannot hear them (a worker in another process with an in-process bus): the page then
 * keeps polling beside the stream.
 */
export type SessionStreamReady = { sessionId: string; complete: boolean };

export const SESSION_EVENT = { ready: 'ready', change: 'change' } as const;
