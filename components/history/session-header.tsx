'use client';

import { Archive, ArchiveRestore, Check, Pencil, Trash2, X } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { sessionKeys } from '@/lib/client/query-keys';
import { useOptimisticAction } from '@/lib/client/use-optimistic-action';
import { useUndo } from '@/lib/client/use-undo';
import {
  archiveSessionAction,
  deleteAction,
  renameSessionAction,
  restoreAction,
  setSessionNotesAction,
} from '@/lib/server/actions/history';
import { IconButton } from '../ui/icon-button';
import { useToast } from '../ui/toaster';

type Props = { session: { id: string; title: string; notes: string; archived: boolean } };

/** The session's name (rename in place), notes, archive and delete-with-undo. Saved at once. */
export function SessionHeader({ session }: Props) {
  const router = useRouter();
  const toast = useToast();
  const undo = useUndo();
  const [title, setTitle] = useState(session.title);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(session.title);
  const [notes, setNotes] = useState(session.notes);
  const [savedNotes, setSavedNotes] = useState(session.notes);
  const [archived, setArchived] = useState(session.archived);
  // The server names a session after its first instruction; follow it unless mid-rename.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new server title should reset the draft, not leaving edit mode
  useEffect(() => {
    if (!editing) {
      setTitle(session.title);
      setDraft(session.title);
    }
  }, [session.title]);

  // The sidebar lists sessions from its own query: every saved edit here refreshes it.
  const refreshList = () => [sessionKeys.all];
  const id = session.id;
  const rename = useOptimisticAction({
    action: ({ next }: { next: string; before: string }) => renameSessionAction({ id, title: next }),
    optimistic: ({ next, before }) => [
      {
        apply: () => setTitle(next.trim()),
        rollback: () => {
          setTitle(before);
          setDraft(before);
        },
      },
    ],
    invalidate: refreshList,
    failurePrefix: 'Not renamed',
  });
  const saveNotes = useOptimisticAction({
    action: (value: string) => setSessionNotesAction({ id, notes: value }),
    invalidate: refreshList,
    failurePrefix: 'Notes not saved',
    onSaved: (_, value) => setSavedNotes(value),
  });
  const archive = useOptimisticAction({
    action: (next: boolean) => archiveSessionAction({ id, archived: next }),
    optimistic: (next) => [{ apply: () => setArchived(next), rollback: () => setArchived(!next) }],
    invalidate: refreshList,
    failurePrefix: '',
    onSaved: (_, next) => toast({ message: next ? 'Session archived.' : 'Session restored from the archive.' }),
  });
  const del = useOptimisticAction({
    action: () => deleteAction({ kind: 'session', ids: [id] }),
    invalidate: refreshList,
    failurePrefix: '',
  });
  const restore = useOptimisticAction({
    action: () => restoreAction({ kind: 'session', ids: [id] }),
    invalidate: refreshList,
    failurePrefix: '',
    onSaved: () => router.push(`/s/${id}`),
  });

  const saveTitle = () => {
    setEditing(false);
    if (draft.trim() === title) return;
    void rename.run({ next: draft, before: title });
  };

  const remove = async () => {
    const { saved } = del.start(undefined);
    const entry = { id: undo.nextId(), label: 'delete session', value: undefined, revert: () => restore.start(undefined) };
    undo.push(entry, saved);
    if (!(await saved)) return;
    undo.offer(entry, `Deleted “${title}”.`);
    router.push('/');
  };

  return (
    <div className="space-y-2">
      <div className="flex items-center gap-1">
        {editing ? (
          <>
            <input
              aria-label="Session name"
              // biome-ignore lint/a11y/noAutofocus: the field appears only when the user clicks Rename, so focus follows their action
              autoFocus
              value={draft}
              maxLength={120}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') void saveTitle();
                if (e.key === 'Escape') {
                  setDraft(title);
                  setEditing(false);
                }
              }}
              className="min-w-0 flex-1 rounded-md border border-line bg-panel px-2 py-1 text-base font-semibold"
            />
            <IconButton label="Save name" onClick={saveTitle}>
              <Check size={15} />
            </IconButton>
            <IconButton label="Cancel renaming" onClick={() => setEditing(false)}>
              <X size={15} />
            </IconButton>
          </>
        ) : (
          <>
            <h1 className="min-w-0 flex-1 truncate text-base font-semibold tracking-tight" title={title}>
              {title}
            </h1>
            {archived && <span className="rounded bg-raised px-1.5 py-0.5 text-[10px] font-medium text-muted">Archived</span>}
            <IconButton label="Rename session" onClick={() => setEditing(true)}>
              <Pencil size={14} />
            </IconButton>
            <IconButton label={archived ? 'Unarchive session' : 'Archive session'} onClick={() => void archive.run(!archived)}>
              {archived ? <ArchiveRestore size={14} /> : <Archive size={14} />}
            </IconButton>
            <IconButton label="Delete session" onClick={remove}>
              <Trash2 size={14} />
            </IconButton>
          </>
        )}
      </div>
      <details className="text-xs" open={Boolean(session.notes)}>
        <summary className="cursor-pointer text-muted">Session notes</summary>
        <textarea
          aria-label="Session notes"
          value={notes}
          rows={3}
          maxLength={5000}
          onChange={(e) => setNotes(e.target.value)}
          onBlur={() => notes !== savedNotes && void saveNotes.run(notes)}
          placeholder="Brief, decisions, what to try next…"
          className="mt-1.5 w-full resize-y rounded-md border border-line bg-panel px-2.5 py-1.5 text-sm text-ink placeholder:text-faint"
        />
      </details>
    </div>
  );
}
