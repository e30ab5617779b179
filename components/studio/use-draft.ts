'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { Draft } from '@/lib/schemas/draft';
import type { AssetDto } from '@/lib/schemas/run';
import { saveDraftAction } from '@/lib/server/actions/sessions';
import type { ComposerValues } from './composer';
import type { ReferenceItem } from './use-references';

/** Long enough that typing is one save per pause, short enough that a reload rarely loses a word. */
const DRAFT_SAVE_DELAY_MS = 400;

export type SavedDraft = Draft & { updatedAt: string };

export type DraftStatus = { state: 'idle' | 'saving' | 'saved' } | { state: 'failed'; message: string };

/**
 * What this tab last sent per session. The router may hand back an older server copy (back and
 * forward reuse cached pages), so a session reopened in this tab starts from whichever is newer.
 */
const sent = new Map<string, { draft: Draft; updatedAt: string | null }>();

/** The draft a session's composer starts from: the server's, unless this tab sent a newer one. */
export function startingDraft(sessionId: string, server: SavedDraft | null): Draft | null {
  const mine = sent.get(sessionId);
  if (!mine) return server;
  // An unconfirmed save (null) is newer than anything the server could have sent us.
  if (!server || mine.updatedAt === null || mine.updatedAt >= server.updatedAt) return mine.draft;
  return server;
}

/** Only the fields the server keeps, in a fixed order, so equal drafts serialise equally. */
function pickAsset(a: AssetDto): AssetDto {
  return { id: a.id, sha256: a.sha256, mime: a.mime, width: a.width, height: a.height };
}

/** The composer as a draft. References still uploading join once they are stored. */
export function toDraft(values: ComposerValues, items: readonly ReferenceItem[]): Draft {
  return {
    instruction: values.instruction,
    negativePrompt: values.negativePrompt,
    references: items.flatMap((i) => (i.status === 'ready' && i.asset ? [pickAsset(i.asset)] : [])),
    targets: values.targets,
    seed: values.seed,
    keepSeed: values.keepSeed,
    count: values.count,
    size: values.size,
    format: values.format,
    strength: values.strength,
    guidance: values.guidance,
    safety: values.safety,
  };
}

/**
 * Saves the draft on the server a moment after it stops changing, and at once when the tab is
 * hidden or the session left. `ready` holds saving back until the form has settled on the
 * client (its random seed), so merely opening a session writes nothing.
 */
export function useDraftSync(sessionId: string, draft: Draft, ready: boolean): { status: DraftStatus; markChanged: () => void } {
  const json = JSON.stringify(draft);
  // The draft last confirmed by the server; null until the form is ready (its first state is the
  // baseline), '' when it must be saved whatever it holds.
  const [confirmed, setConfirmed] = useState<string | null>(null);
  const changedBeforeReady = useRef(false);
  const [savedOnce, setSavedOnce] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const latest = useRef(json);
  const confirmedRef = useRef(confirmed);
  useEffect(() => {
    latest.current = json;
    confirmedRef.current = confirmed;
  });

  const save = useCallback(
    async (body: string) => {
      const value = JSON.parse(body) as Draft;
      sent.set(sessionId, { draft: value, updatedAt: null });
      const result = await saveDraftAction({ sessionId, draft: value }).catch(() => null);
      if (result?.ok) {
        if (sent.get(sessionId)?.draft === value) sent.set(sessionId, { draft: value, updatedAt: result.data.updatedAt });
        setConfirmed(body);
        setSavedOnce(true);
        setFailure(null);
      } else {
        setFailure(result ? result.error.message : 'the server did not answer');
      }
    },
    [sessionId],
  );

  useEffect(() => {
    if (!ready) return;
    if (confirmed === null) {
      setConfirmed(changedBeforeReady.current ? '' : json);
      return;
    }
    if (json === confirmed) return;
    const timer = setTimeout(() => void save(json), DRAFT_SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [json, ready, confirmed, save]);

  // Leaving the session or hiding the tab does not wait for the pause.
  useEffect(() => {
    const flush = () => {
      if (confirmedRef.current !== null && latest.current !== confirmedRef.current) void save(latest.current);
    };
    const onVisibility = () => document.visibilityState === 'hidden' && flush();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      flush();
    };
  }, [save]);

  /** A change made by the studio, not typed (a fork arriving), which may land before the baseline is taken. */
  const markChanged = useCallback(() => {
    changedBeforeReady.current = true;
    setConfirmed((c) => (c === null ? c : ''));
  }, []);

  const status: DraftStatus =
    failure !== null && json !== confirmed
      ? { state: 'failed', message: failure }
      : confirmed !== null && json !== confirmed
        ? { state: 'saving' }
        : { state: savedOnce ? 'saved' : 'idle' };
  return { status, markChanged };
}
