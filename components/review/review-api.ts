'use client';

import type { ReviewerDto } from '@/lib/schemas/review';

export type PostResult<T> = { ok: true; data: T } | { ok: false; message: string; status: number };

/** POSTs JSON to a review route as the studio's fetches do (same origin, X-Proofsheet), in the one error shape. */
export async function reviewPost<T>(url: string, body: unknown): Promise<PostResult<T>> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Proofsheet': '1' },
      body: JSON.stringify(body),
      cache: 'no-store',
    });
    const json = (await res.json().catch(() => null)) as { error?: { message?: string } } | T | null;
    if (!res.ok) {
      const message = (json as { error?: { message?: string } } | null)?.error?.message ?? `The server answered ${res.status}.`;
      return { ok: false, message, status: res.status };
    }
    return { ok: true, data: json as T };
  } catch {
    return { ok: false, message: 'Could not reach the server. Check the connection and try again.', status: 0 };
  }
}

const STORAGE_KEY = 'proofsheet.reviewer';

/** The device's copy of the reviewer (the cookie is the one the server reads). */
export function storedReviewer(): ReviewerDto | null {
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<ReviewerDto>;
    return typeof value.reviewerId === 'string' && typeof value.name === 'string'
      ? { reviewerId: value.reviewerId, name: value.name }
      : null;
  } catch {
    return null;
  }
}

export function storeReviewer(r: ReviewerDto): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(r));
  } catch {
    // Private mode or storage full: the cookie still remembers the reviewer.
  }
}
