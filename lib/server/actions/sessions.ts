'use server';

import { redirect } from 'next/navigation';
import { createSession } from '../queries/sessions';

export async function newSessionAction(): Promise<void> {
  const id = await createSession();
  redirect(`/s/${id}`);
}
