'use server';

import { redirect } from 'next/navigation';
import { saveDraftSchema } from '@/lib/schemas/draft';
import { defineAction } from '../action';
import { getContext } from '../context';
import { saveDraft } from '../services/drafts';
import { createSession } from '../services/sessions';

export async function newSessionAction(): Promise<void> {
  const id = await createSession(await getContext(), {});
  redirect(`/s/${id}`);
}

export const saveDraftAction = defineAction('saveDraft', saveDraftSchema, saveDraft);
