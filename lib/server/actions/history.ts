'use server';

import type { ActionResult } from '@/lib/schemas/result';
import { restore, setNote, setRating, setStarred, softDelete } from '../history/items';
import { archiveSession, renameSession, setSessionNotes } from '../history/sessions';
import { addToTray, clearTray, removeFromTray } from '../history/tray';

/** Thin wrappers: each validates with zod inside and returns a typed result. */
type Count = Promise<ActionResult<{ count: number }>>;
type Id = Promise<ActionResult<{ id: string }>>;

export async function renameSessionAction(input: unknown): Id {
  return renameSession(input);
}
export async function setSessionNotesAction(input: unknown): Id {
  return setSessionNotes(input);
}
export async function archiveSessionAction(input: unknown): Id {
  return archiveSession(input);
}
export async function starAction(input: unknown): Count {
  return setStarred(input);
}
export async function rateAction(input: unknown): Count {
  return setRating(input);
}
export async function noteAction(input: unknown): Count {
  return setNote(input);
}
export async function deleteAction(input: unknown): Count {
  return softDelete(input);
}
export async function restoreAction(input: unknown): Count {
  return restore(input);
}
export async function addToTrayAction(input: unknown): Count {
  return addToTray(input);
}
export async function removeFromTrayAction(input: unknown): Count {
  return removeFromTray(input);
}
export async function clearTrayAction(): Count {
  return clearTray();
}
