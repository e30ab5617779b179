'use server';

import {
  archiveSchema,
  itemsSchema,
  noteSchema,
  ratingSchema,
  renameSessionSchema,
  sessionNotesSchema,
  starSchema,
  trayAddSchema,
} from '@/lib/schemas/history';
import { z } from 'zod';
import { defineAction } from '../action';
import { restore, setNote, setRating, setStarred, softDelete } from '../services/edits';
import { purge } from '../services/purge';
import { archiveSession, renameSession, setSessionNotes } from '../services/sessions';
import { addToTray, clearTray, removeFromTray, trayRemoveSchema } from '../services/tray';

// One line each: parsing, context and errors live in defineAction; rules live in the services.
export const renameSessionAction = defineAction('renameSession', renameSessionSchema, renameSession);
export const setSessionNotesAction = defineAction('setSessionNotes', sessionNotesSchema, setSessionNotes);
export const archiveSessionAction = defineAction('archiveSession', archiveSchema, archiveSession);
export const starAction = defineAction('star', starSchema, setStarred);
export const rateAction = defineAction('rate', ratingSchema, setRating);
export const noteAction = defineAction('note', noteSchema, setNote);
export const deleteAction = defineAction('delete', itemsSchema, softDelete);
export const restoreAction = defineAction('restore', itemsSchema, restore);
export const purgeAction = defineAction('purge', itemsSchema, purge);
export const addToTrayAction = defineAction('addToTray', trayAddSchema, addToTray);
export const removeFromTrayAction = defineAction('removeFromTray', trayRemoveSchema, removeFromTray);
export const clearTrayAction = defineAction('clearTray', z.void(), (ctx) => clearTray(ctx));
