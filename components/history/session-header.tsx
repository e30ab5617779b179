'use client';

import { Archive, ArchiveRestore, Check, Pencil, Trash2, X } from 'lucide-react';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { archiveSessionAction, deleteAction, renameSessionAction, restoreAction, setSessionNotesAction } from '@/lib/server/actions/history';
import { IconButton } from '../ui/icon-button';
import { useToast } from '../ui/toaster';

type Props = { session: { id: string; title: string; notes: string; archived: boolean } };

/** The session's name (rename in place), notes, archive and delete-with-undo. Saved at once. */
export function SessionHeader({ session }: Props) {
  const router = useRouter();
  const toast = useToast();
  const qc = useQueryClient();
  // The sidebar lists sessions from its own query: refresh it after every edit here.
  const refreshList = () => qc.invalidateQueries({ queryKey: ['sessions'] });
  const [title, setTitle] = useState(session.title);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(session.title);
  const [notes, setNotes] = useState(session.notes);
  const [savedNotes, setSavedNotes] = useState(session.notes);
  const [archived, setArchived] = useState(session.archived);
  // The server names a session after its first instruction; follow it unless mid-rename.
  useEffect(() => {
    if (!editing) {
      setTitle(session.title);
      setDraft(session.title);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [session.title]);

  const saveTitle = async () => {
    setEditing(false);
    if (draft.trim() === title) return;
    const before = title;
    setTitle(draft.trim());
    const r = await renameSessionAction({ id: session.id, title: draft });
    if (!r.ok) {
      setTitle(before);
      setDraft(before);
      return toast({ tone: 'error', message: `Not renamed: ${r.error.message}` });
    }
    void refreshList();
  };

  const saveNotes = async (value: string) => {
    if (value === savedNotes) return;
    const r = await setSessionNotesAction({ id: session.id, notes: value });
    if (r.ok) {
      setSavedNotes(value);
      void refreshList();
    }
    else toast({ tone: 'error', message: `Notes not saved: ${r.error.message}` });
  };

  const toggleArchive = async () => {
    setArchived(!archived);
    const r = await archiveSessionAction({ id: session.id, archived: !archived });
    if (!r.ok) {
      setArchived(archived);
      return toast({ tone: 'error', message: r.error.message });
    }
    toast({ message: archived ? 'Session restored from the archive.' : 'Session archived.' });
    void refreshList();
  };

  const remove = async () => {
    const r = await deleteAction({ kind: 'session', ids: [session.id] });
    if (!r.ok) return toast({ tone: 'error', message: r.error.message });
    toast({
      message: `Deleted “${title}”.`,
      action: {
        label: 'Undo',
        onClick: async () => {
          const back = await restoreAction({ kind: 'session', ids: [session.id] });
          if (back.ok) {
            void refreshList();
            router.push(`/s/${session.id}`);
          }
          else toast({ tone: 'error', message: back.error.message });
        },
      },
    });
    void refreshList();
    router.push('/');
  };

  return (
    <div className="space-y-2">
      <div className="flex items-center gap-1">
        {editing ? (
          <>
            <input
              aria-label="Session name"
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
            <IconButton label={archived ? 'Unarchive session' : 'Archive session'} onClick={toggleArchive}>
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
          onBlur={() => saveNotes(notes)}
          placeholder="Brief, decisions, what to try next…"
          className="mt-1.5 w-full resize-y rounded-md border border-line bg-panel px-2.5 py-1.5 text-sm text-ink placeholder:text-faint"
        />
      </details>
    </div>
  );
}
