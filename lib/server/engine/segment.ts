import 'server-only';
import { toHex, type Rgb } from './colors';
import { backdropDistances, fitBackdrop } from './backdrop-model';
import { borderStats, editMask, forEachBorderPixel, type Frame } from './frame';
import { components } from './mask-components';

export type Box = { left: number; top: number; width: number; height: number };

export type Segmentation = {
  /** One byte per pixel: 255 subject, 0 backdrop, feathered in between. */
  alpha: Uint8Array;
  /** Bounding box of the subject (alpha >= 128). */
  box: Box;
  /** Estimated backdrop colour, or null when the input was already a cut-out. */
  backdrop: Rgb | null;
  /** Share of the frame the subject covers, 0..1. */
  coverage: number;
  description: string;
};

export type SegmentResult = { ok: true; seg: Segmentation } | { ok: false; message: string };

/**
 * Subject/backdrop separation for plain or studio backdrops, not a learned matting model:
 * 1. the backdrop is a colour plane fitted to a thin border ring (see backdrop-model.ts), so
 *    flat backdrops and evenly lit sweeps both work;
 * 2. the distance threshold adapts to how uneven that ring is (vignettes, sweeps, JPEG noise);
 * 3. backdrop = pixels within the threshold that connect to the border (flood fill), plus
 *    large enclosed pockets of nearly the exact backdrop colour (a mug handle's hole), minus
 *    specks too small to be part of the subject;
 * 4. the binary mask is feathered (blur, then re-levelled so the soft edge falls inside the
 *    subject, no backdrop-coloured halo survives and lone specks vanish).
 */
export async function segment(frame: Frame): Promise<SegmentResult> {
  const { data, width, height } = frame;
  const n = width * height;
  const ring = Math.max(1, Math.round(Math.min(width, height) / 100));
  const border = borderStats(frame, ring);

  // Mostly transparent border: the reference is already a cut-out; keep its own alpha.
  if (border.opaque < border.total * 0.25) {
    const alpha = new Uint8Array(n);
    for (let p = 0; p < n; p += 1) alpha[p] = data[p * 4 + 3] ?? 0;
    return finish(alpha, width, height, null, 'the image already had a transparent background');
  }

  const model = fitBackdrop(frame, ring);
  const dist2 = backdropDistances(frame, model);

  // How uneven the ring is around the fitted plane sets the tolerance (histogram, no sort).
  const hist = new Uint32Array(512);
  let ringCount = 0;
  forEachBorderPixel(width, height, ring, (p) => {
    const bin = Math.min(511, Math.round(Math.sqrt((dist2[p] ?? 0) / 3)));
    hist[bin] = (hist[bin] ?? 0) + 1;
    ringCount += 1;
  });
  const quantile = (q: number) => {
    let seen = 0;
    for (let d = 0; d < 512; d += 1) {
      seen += hist[d] ?? 0;
      if (seen >= q * ringCount) return d;
    }
    return 511;
  };
  const threshold = Math.min(90, Math.max(28, quantile(0.9) * 1.5 + 10));
  const limit = 3 * threshold * threshold;
  let within = 0;
  for (let d = 0; d < threshold && d < 512; d += 1) within += hist[d] ?? 0;
  const inside = within / Math.max(1, ringCount);
  if (inside < 0.6) {
    return {
      ok: false,
      message:
        'The border of the image is not a plain backdrop, so the offline engine cannot tell the subject from the background (it separates subjects from plain or studio backdrops only).',
    };
  }

  // Flood fill (4-connected) from every border pixel that looks like backdrop.
  const mask = new Uint8Array(n).fill(255);
  const stack = new Int32Array(n);
  let top = 0;
  forEachBorderPixel(width, height, 1, (p) => {
    if (dist2[p]! < limit && mask[p] === 255) {
      mask[p] = 0;
      stack[top++] = p;
    }
  });
  while (top > 0) {
    const p = stack[--top]!;
    const x = p % width;
    // Hot loop over up to millions of pixels: indexes are in range by construction.
    if (x > 0 && mask[p - 1] === 255 && dist2[p - 1]! < limit) {
      mask[p - 1] = 0;
      stack[top++] = p - 1;
    }
    if (x < width - 1 && mask[p + 1] === 255 && dist2[p + 1]! < limit) {
      mask[p + 1] = 0;
      stack[top++] = p + 1;
    }
    if (p >= width && mask[p - width] === 255 && dist2[p - width]! < limit) {
      mask[p - width] = 0;
      stack[top++] = p - width;
    }
    if (p < n - width && mask[p + width] === 255 && dist2[p + width]! < limit) {
      mask[p + width] = 0;
      stack[top++] = p + width;
    }
  }

  const holes = clearEnclosedPockets(frame, mask, dist2, limit, threshold);
  dropSpecks(mask, width, height);
  const alpha = await feather(mask, width, height);
  const shape = model.slope > 8 ? ' with a gradient' : '';
  const described = `backdrop ${toHex(model.centre)}${shape} estimated from the border (tolerance ${Math.round(threshold)})${
    holes > 0 ? `, ${holes} enclosed gap${holes === 1 ? '' : 's'} cleared` : ''
  }`;
  return finish(alpha, width, height, model.centre, described);
}

/**
 * Enclosed pockets of backdrop (inside a mug handle): regions within the tolerance that the
 * flood fill could not reach, larger than 0.2% of the frame, whose mean colour matches the
 * backdrop found around them (a lit sweep is lighter in the middle than at the border, so
 * the comparison is local). A pale label on a pale product can still be mistaken for one;
 * the note lists how many pockets were cleared.
 */
function clearEnclosedPockets(frame: Frame, mask: Uint8Array, dist2: Float32Array, limit: number, threshold: number): number {
  const { data, width, height } = frame;
  const minSize = Math.max(16, Math.round(width * height * 0.002));
  const { pixels, list } = components(width, height, (p) => mask[p] === 255 && dist2[p]! < limit);
  const margin = Math.round(Math.max(width, height) * 0.1);
  let cleared = 0;
  for (const { offset, size } of list) {
    if (size < minSize) continue;
    const inner = [0, 0, 0];
    let x0 = width,
      y0 = height,
      x1 = 0,
      y1 = 0;
    for (let k = offset; k < offset + size; k += 1) {
      const p = pixels[k]!;
      const x = p % width,
        y = (p - x) / width;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
      for (let c = 0; c < 3; c += 1) inner[c]! += data[p * 4 + c]!;
    }
    const outer = [0, 0, 0];
    let count = 0;
    for (let y = Math.max(0, y0 - margin); y <= Math.min(height - 1, y1 + margin); y += 2) {
      for (let x = Math.max(0, x0 - margin); x <= Math.min(width - 1, x1 + margin); x += 2) {
        const p = y * width + x;
        if (mask[p] !== 0) continue;
        for (let c = 0; c < 3; c += 1) outer[c]! += data[p * 4 + c]!;
        count += 1;
      }
    }
    if (count < 16) continue;
    const d = Math.sqrt(
      (2 * (inner[0]! / size - outer[0]! / count) ** 2 +
        4 * (inner[1]! / size - outer[1]! / count) ** 2 +
        3 * (inner[2]! / size - outer[2]! / count) ** 2) /
        3,
    );
    if (d > Math.max(10, threshold * 0.3)) continue;
    for (let k = offset; k < offset + size; k += 1) mask[pixels[k]!] = 0;
    cleared += 1;
  }
  return cleared;
}

/**
 * Drops specks: subject components smaller than 0.1% of the frame and than 1% of the largest
 * one (noise above the threshold, the ragged rim of an old cast shadow). Real separate parts
 * of the subject are far larger than that.
 */
function dropSpecks(mask: Uint8Array, width: number, height: number): void {
  const { pixels, list } = components(width, height, (p) => mask[p] === 255);
  const largest = Math.max(0, ...list.map((c) => c.size));
  const keep = Math.min(Math.max(8, width * height * 0.001), largest * 0.01 + 8);
  for (const { offset, size } of list) {
    if (size >= keep) continue;
    for (let k = offset; k < offset + size; k += 1) mask[pixels[k]!] = 0;
  }
}

async function feather(mask: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const sigma = Math.min(2.5, Math.max(0.6, Math.min(width, height) / 700));
  // Re-level after the blur: 128..255 becomes 0..255, so the fade happens inside the subject.
  // No median pass needed: a lone speck blurs below 128 and re-levels to 0.
  return editMask(mask, width, height, (s) => s.blur(sigma).linear(2, -255));
}

function finish(alpha: Uint8Array, width: number, height: number, backdrop: Rgb | null, description: string): SegmentResult {
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  let count = 0;
  for (let y = 0, p = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1, p += 1) {
      if ((alpha[p] ?? 0) < 128) continue;
      count += 1;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  const coverage = count / (width * height);
  if (coverage < 0.002) {
    return { ok: false, message: 'No subject stands out from the backdrop (it may be the same colour as the background).' };
  }
  if (backdrop && coverage > 0.97) {
    return { ok: false, message: 'The subject fills the whole frame, so there is no backdrop to separate.' };
  }
  return {
    ok: true,
    seg: {
      alpha,
      box: { left: minX, top: minY, width: maxX - minX + 1, height: maxY - minY + 1 },
      backdrop,
      coverage,
      description,
    },
  };
}
