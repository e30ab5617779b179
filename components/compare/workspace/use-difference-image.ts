'use client';

import { useEffect, useState } from 'react';
import { containRect, diffCanvasSize, diffPixels, type PixelDiffStats } from '@/lib/compare/pixel-diff';
import { assetUrl, type AssetDto } from '@/lib/schemas/run';

export type DifferenceImage =
  | { status: 'loading' }
  | { status: 'ready'; url: string; width: number; height: number; stats: PixelDiffStats }
  | { status: 'error'; message: string };

type Keyed = DifferenceImage & { key: string };

/**
 * |A − B| of the two preview renditions, as an object URL of a PNG. Previews are same-origin,
 * so the canvas is not tainted and getImageData works. Both images are drawn into one canvas of
 * A's size, each contained and centred the way the panes show them, so sizes may differ.
 */
export function useDifferenceImage(a: AssetDto, b: AssetDto): DifferenceImage {
  const key = `${a.sha256}:${b.sha256}`;
  const [result, setResult] = useState<Keyed>({ key: '', status: 'loading' });

  useEffect(() => {
    let cancelled = false;
    let objectUrl: string | null = null;
    computeDifference(assetUrl(a.sha256, 'preview'), assetUrl(b.sha256, 'preview'))
      .then((r) => {
        if (cancelled) return URL.revokeObjectURL(r.url);
        objectUrl = r.url;
        setResult({ key, status: 'ready', ...r });
      })
      .catch((err: unknown) => {
        if (!cancelled) setResult({ key, status: 'error', message: err instanceof Error ? err.message : String(err) });
      });
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [key, a.sha256, b.sha256]);

  // A result for a previous pair is stale: show loading rather than the wrong difference.
  return result.key === key ? result : { status: 'loading' };
}

async function computeDifference(aUrl: string, bUrl: string) {
  const [imgA, imgB] = await Promise.all([loadImage(aUrl), loadImage(bUrl)]);
  const { width, height } = diffCanvasSize(imgA.naturalWidth, imgA.naturalHeight);
  const pixelsA = rasterise(imgA, width, height);
  const pixelsB = rasterise(imgB, width, height);
  const out = new ImageData(width, height);
  const stats = diffPixels(pixelsA.data, pixelsB.data, out.data);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  context(canvas).putImageData(out, 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('The browser could not encode the difference image.');
  return { url: URL.createObjectURL(blob), width, height, stats };
}

async function loadImage(src: string): Promise<HTMLImageElement> {
  const img = new Image();
  img.decoding = 'async';
  img.src = src;
  try {
    await img.decode();
  } catch {
    throw new Error('An image could not be loaded for the difference.');
  }
  return img;
}

function rasterise(img: HTMLImageElement, width: number, height: number): ImageData {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = context(canvas);
  const r = containRect(img.naturalWidth, img.naturalHeight, width, height);
  ctx.drawImage(img, r.x, r.y, r.width, r.height);
  return ctx.getImageData(0, 0, width, height);
}

function context(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('Canvas 2D is not available in this browser.');
  return ctx;
}
