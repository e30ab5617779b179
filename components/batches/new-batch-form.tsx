'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useDropzone } from 'react-dropzone';
import { TargetPicker } from '@/components/studio/target-picker';
import { Button } from '@/components/ui/button';
import { createBatchAction } from '@/lib/server/batches/actions';
import type { StudioTarget } from '@/lib/schemas/studio';

type Uploaded = { name: string; assetId: string | null; error: string | null };

const ACCEPT = { 'image/*': ['.png', '.jpg', '.jpeg', '.webp', '.gif', '.avif', '.heic', '.tif', '.tiff'] };

async function upload(file: File): Promise<Uploaded> {
  const form = new FormData();
  form.append('file', file);
  try {
    const res = await fetch('/api/uploads', { method: 'POST', body: form, headers: { 'X-Proofsheet': '1' } });
    const body = (await res.json().catch(() => null)) as { asset?: { id: string }; error?: { message: string } } | null;
    if (res.ok && body?.asset) return { name: file.name, assetId: body.asset.id, error: null };
    return { name: file.name, assetId: null, error: body?.error?.message ?? `HTTP ${res.status}` };
  } catch {
    return { name: file.name, assetId: null, error: 'The server did not answer.' };
  }
}

/** Uploads a few at a time: a folder of hundreds must not open hundreds of requests at once. */
async function uploadAll(files: File[], onOne: (u: Uploaded, index: number) => void): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < files.length) {
      const i = next++;
      onOne(await upload(files[i]!), i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, files.length) }, lane));
}

function useUploads() {
  const [items, setItems] = useState<(Uploaded & { pending: boolean })[]>([]);
  const add = (files: File[]) => {
    const sorted = [...files].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    let base = 0;
    setItems((prev) => {
      base = prev.length;
      return [...prev, ...sorted.map((f) => ({ name: f.name, assetId: null, error: null, pending: true }))];
    });
    void uploadAll(sorted, (u, i) => setItems((prev) => prev.map((x, k) => (k === base + i ? { ...u, pending: false } : x))));
  };
  return { items, add, clear: () => setItems([]) };
}

/** Drop a folder or many files, write one instruction, pick targets, Start. */
export function NewBatchForm({ targets }: { targets: StudioTarget[] }) {
  const router = useRouter();
  const images = useUploads();
  const shared = useUploads();
  const [instruction, setInstruction] = useState('');
  const [picked, setPicked] = useState<string[]>(() =>
    targets
      .filter((t) => t.configured)
      .slice(0, 1)
      .map((t) => t.id),
  );
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const main = useDropzone({ accept: ACCEPT, onDrop: images.add });
  const extra = useDropzone({ accept: ACCEPT, onDrop: shared.add });

  const ready = images.items.filter((i) => i.assetId);
  const uploading = [...images.items, ...shared.items].some((i) => i.pending);
  const canStart = ready.length > 0 && instruction.trim() && picked.length > 0 && !uploading && !starting;

  async function start() {
    setStarting(true);
    setError(null);
    const result = await createBatchAction({
      instruction,
      targets: picked,
      seed: Math.floor(Math.random() * 2_147_483_647),
      referenceIds: ready.map((i) => i.assetId!),
      fileNames: ready.map((i) => i.name),
      sharedReferenceIds: shared.items.flatMap((i) => (i.assetId ? [i.assetId] : [])),
    });
    if (result.ok) router.push(`/batches/${result.data.batchId}`);
    else {
      setError(result.error.message);
      setStarting(false);
    }
  }

  return (
    <section className="space-y-4 rounded-lg border border-line bg-panel p-4" aria-label="New batch">
      <div
        {...main.getRootProps()}
        className="cursor-pointer rounded-md border border-dashed border-line p-6 text-center text-sm text-muted hover:bg-raised"
      >
        <input {...main.getInputProps()} aria-label="Batch images" data-testid="batch-files" />
        {main.isDragActive ? 'Drop the images here' : 'Drop a folder or many images here, or click to pick them'}
      </div>
      {images.items.length > 0 && (
        <p className="text-xs text-muted" data-testid="batch-upload-count">
          {ready.length} of {images.items.length} images ready
          {images.items.some((i) => i.error) && ` · ${images.items.filter((i) => i.error).length} refused`}{' '}
          <button type="button" className="underline" onClick={images.clear}>
            Clear
          </button>
        </p>
      )}
      <label className="block text-xs font-medium text-muted">
        Instruction
        <textarea
          className="mt-1 block w-full rounded-md border border-line bg-bg p-2 text-sm text-ink"
          rows={3}
          value={instruction}
          onChange={(e) => setInstruction(e.target.value)}
          placeholder="Put the product on a plain white background"
        />
      </label>
      <TargetPicker targets={targets} selected={picked} onChange={setPicked} />
      <div>
        <p className="mb-1 text-xs font-medium text-muted">Shared references (optional: a style or background passed with every image)</p>
        <div
          {...extra.getRootProps()}
          className="cursor-pointer rounded-md border border-dashed border-line p-3 text-xs text-muted hover:bg-raised"
        >
          <input {...extra.getInputProps()} aria-label="Shared references" />
          {shared.items.length ? shared.items.map((i) => i.name).join(', ') : 'Drop or pick one or two images'}
        </div>
      </div>
      {error && (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      )}
      <Button variant="primary" disabled={!canStart} onClick={start}>
        {starting ? 'Starting…' : `Start batch of ${ready.length}`}
      </Button>
    </section>
  );
}
