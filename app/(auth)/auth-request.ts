/** POSTs to an /api/auth route as the studio does (JSON, X-Proofsheet), in the one error shape. */
export async function authRequest(path: string, body: unknown): Promise<{ ok: true; next: string } | { ok: false; message: string }> {
  try {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Proofsheet': '1' },
      body: JSON.stringify(body),
    });
    const data = (await res.json().catch(() => null)) as { next?: string; error?: { message?: string } } | null;
    if (res.ok && typeof data?.next === 'string') return { ok: true, next: data.next };
    return { ok: false, message: data?.error?.message ?? `The server answered ${res.status}.` };
  } catch {
    return { ok: false, message: 'The server did not answer. Is it running?' };
  }
}
