'use client';

import { useCallback, useRef, useState } from 'react';
import { ACCEPTED_MIME, MAX_REFERENCES, MAX_UPLOAD_BYTES } from '@/lib/schemas/limits';
import type { ProvenanceOffer } from '@/lib/schemas/export';
import type { AssetDto } from '@/lib/schemas/run';
import type { ApiErrorBody } from '@/lib/schemas/result';

export type ReferenceItem = {
  key: string;
  name: string;
  /** Object URL while uploading, so the thumbnail shows at once. */
  localUrl?: string;
  status: 'uploading' | 'ready';
  asset?: AssetDto;
  notes: string[];
  /** Set when the file was exported from Proofsheet (drop-back, issue 10): see provenance-offer.tsx. */
  provenance?: ProvenanceOffer;
};

export type UploadProblem = { key: string; message: string };

type UploadResponse =
  | { ok: true; asset: AssetDto; notes: string[]; provenance?: ProvenanceOffer }
  | { ok: false; error: { code: string; message: string } };

let counter = 0;

/** The reference tray: uploads each file at once, keeps order, reports refusals by name. */
export function useReferences(initial: { asset: AssetDto; name: string }[] = []) {
  const [items, setItems] = useState<ReferenceItem[]>(() =>
    initial.map((a) => ({ key: `r${++counter}`, name: a.name, status: 'ready' as const, asset: a.asset, notes: [] })),
  );
  const [problems, setProblems] = useState<UploadProblem[]>([]);
  const itemsRef = useRef(items);
  itemsRef.current = items;

  const report = useCallback((message: string) => {
    setProblems((p) => [...p, { key: `p${++counter}`, message }]);
  }, []);

  const addFiles = useCallback(
    (files: File[]) => {
      let free = MAX_REFERENCES - itemsRef.current.length;
      for (const file of files) {
        // Early feedback only; the server checks every rule again by content.
        if (free <= 0) {
          report(`“${file.name}” was not added: at most ${MAX_REFERENCES} reference images per run.`);
          continue;
        }
        if (file.size > MAX_UPLOAD_BYTES) {
          report(`“${file.name}” is ${(file.size / 1048576).toFixed(1)} MB; the limit is ${MAX_UPLOAD_BYTES / 1048576} MB per image.`);
          continue;
        }
        free -= 1;
        const key = `r${++counter}`;
        const localUrl = (ACCEPTED_MIME as readonly string[]).includes(file.type) ? URL.createObjectURL(file) : undefined;
        const item: ReferenceItem = { key, name: file.name, localUrl, status: 'uploading', notes: [] };
        itemsRef.current = [...itemsRef.current, item];
        setItems(itemsRef.current);
        void upload(file).then((res) => {
          if (res.ok) {
            setItems((list) =>
              list.map((i) =>
                i.key === key ? { ...i, status: 'ready', asset: res.asset, notes: res.notes, provenance: res.provenance } : i,
              ),
            );
          } else {
            setItems((list) => list.filter((i) => i.key !== key));
            report(res.error.message);
          }
          if (localUrl && !res.ok) URL.revokeObjectURL(localUrl);
        });
      }
    },
    [report],
  );

  const addAsset = useCallback(
    (asset: AssetDto, name: string): boolean => {
      if (itemsRef.current.length >= MAX_REFERENCES) {
        report(`The tray already holds ${MAX_REFERENCES} images: remove one first.`);
        return false;
      }
      itemsRef.current = [...itemsRef.current, { key: `r${++counter}`, name, status: 'ready', asset, notes: [] }];
      setItems(itemsRef.current);
      return true;
    },
    [report],
  );

  const remove = useCallback((key: string) => setItems((list) => list.filter((i) => i.key !== key)), []);
  const move = useCallback((key: string, delta: -1 | 1) => {
    setItems((list) => {
      const from = list.findIndex((i) => i.key === key);
      const to = from + delta;
      if (from < 0 || to < 0 || to >= list.length) return list;
      const next = [...list];
      const [it] = next.splice(from, 1);
      next.splice(to, 0, it!);
      return next;
    });
  }, []);
  const replaceAll = useCallback((assets: { asset: AssetDto; name: string }[]) => {
    itemsRef.current = assets.map((a) => ({ key: `r${++counter}`, name: a.name, status: 'ready' as const, asset: a.asset, notes: [] }));
    setItems(itemsRef.current);
  }, []);
  const dismissProblem = useCallback((key: string) => setProblems((p) => p.filter((x) => x.key !== key)), []);

  return { items, problems, addFiles, addAsset, remove, move, replaceAll, dismissProblem, report };
}

async function upload(file: File): Promise<UploadResponse> {
  const form = new FormData();
  form.append('file', file);
  try {
    const res = await fetch('/api/uploads', { method: 'POST', body: form, headers: { 'X-Proofsheet': '1' } });
    if (res.ok) return { ok: true, ...((await res.json()) as { asset: AssetDto; notes: string[]; provenance?: ProvenanceOffer }) };
    // A refusal arrives in the one route error shape; anything else (a proxy's page) says its status.
    const body = (await res.json().catch(() => null)) as ApiErrorBody | null;
    if (body?.error) return { ok: false, error: body.error };
    return { ok: false, error: { code: 'http', message: `“${file.name}” could not be uploaded (HTTP ${res.status}).` } };
  } catch {
    return { ok: false, error: { code: 'network', message: `“${file.name}” could not be uploaded: the server did not answer.` } };
  }
}
