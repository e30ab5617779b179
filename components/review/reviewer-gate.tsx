'use client';

import { useEffect, useId, useState } from 'react';
import { REVIEW_LIMITS, type ReviewerDto } from '@/lib/schemas/review';
import { Button } from '../ui/button';
import { reviewPost, storedReviewer, storeReviewer } from './review-api';

/**
 * The reviewer's name, asked once per device. The server sets the cookie (with a random id it
 * makes); localStorage keeps a copy, so a cleared cookie comes back with the same id.
 */
export function useReviewer(base: string, initial: ReviewerDto | null) {
  const [reviewer, setReviewer] = useState<ReviewerDto | null>(initial);
  const save = async (name: string, reviewerId?: string) => {
    const result = await reviewPost<ReviewerDto>(`${base}/reviewer`, { name, reviewerId });
    if (result.ok) {
      storeReviewer(result.data);
      setReviewer(result.data);
    }
    return result;
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: once on mount: restore a device's reviewer whose cookie is gone
  useEffect(() => {
    if (initial) return storeReviewer(initial);
    const stored = storedReviewer();
    if (stored) void save(stored.name, stored.reviewerId);
  }, []);
  return { reviewer, save, forget: () => setReviewer(null) };
}

export function ReviewerForm({
  onSave,
  current,
}: {
  onSave: (name: string) => Promise<{ ok: boolean; message?: string }>;
  current?: string;
}) {
  const [name, setName] = useState(current ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  return (
    <form
      className="flex flex-wrap items-end gap-2 rounded-lg border border-line bg-panel p-3"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        const result = await onSave(name.trim());
        setBusy(false);
        setError(result.ok ? null : (result.message ?? 'Could not save the name.'));
      }}
    >
      <div className="min-w-0 flex-1">
        <label htmlFor={id} className="block text-sm font-medium text-ink">
          Your name
        </label>
        <p className="text-xs text-muted">Shown to the designer beside your verdicts. Asked once on this device.</p>
        <input
          id={id}
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={REVIEW_LIMITS.name}
          required
          autoComplete="name"
          className="mt-1 h-10 w-full rounded-md border border-line bg-canvas px-3 text-base text-ink"
        />
      </div>
      <Button type="submit" variant="primary" disabled={busy || name.trim() === ''} className="h-10">
        Start reviewing
      </Button>
      {error && (
        <p role="alert" className="w-full text-sm text-danger">
          {error}
        </p>
      )}
    </form>
  );
}
