import 'server-only';
import sharp from 'sharp';
import { contactShadow, type Layer } from './backgrounds';
import { rawInput, toFrame, withAlpha, type Frame } from './frame';
import { labStats, transferColours } from './palette';
import { between, type SeedSource } from './prng';
import { segment } from './segment';

export type Composed = { ok: true; frame: Frame; steps: string[]; notes: string[] } | { ok: false; message: string };

/**
 * The subject of one reference, cut from its plain backdrop, scaled and set into another.
 * Left open by the words and so chosen by the seed: its size (a share of the scene's height)
 * and where it stands. `harmonise` also pulls the subject's colours toward the scene's.
 */
export async function placeSubject(
  subjectFrame: Frame,
  scene: Frame,
  labels: { subject: number; onto: number },
  options: { shadow: boolean; harmonise: boolean },
  seeds: SeedSource,
): Promise<Composed> {
  const cut = await segment(subjectFrame);
  if (!cut.ok) return { ok: false, message: `Image ${labels.subject + 1}: ${cut.message}` };
  const { box } = cut.seg;
  let subject = withAlpha(subjectFrame, cut.seg.alpha);
  const notes = [`Image ${labels.subject + 1}: ${cut.seg.description}.`];
  const steps: string[] = [];
  if (options.harmonise) {
    const from = await labStats(subject, cut.seg.alpha);
    const to = await labStats(scene);
    subject = transferColours(subject, from, to, 0.6);
    steps.push(`Matched the subject's colours to image ${labels.onto + 1} (Lab mean and spread, 60%)`);
  }

  const rng = seeds.stream('placement');
  const share = between(rng, 0.42, 0.64);
  const scale = Math.min((share * scene.height) / box.height, (0.8 * scene.width) / box.width);
  const width = Math.max(1, Math.round(box.width * scale));
  const height = Math.max(1, Math.round(box.height * scale));
  const centreX = scene.width * between(rng, 0.32, 0.68);
  const baseY = scene.height * between(rng, 0.8, 0.94);
  const left = Math.round(Math.min(scene.width - width, Math.max(0, centreX - width / 2)));
  const top = Math.round(Math.min(scene.height - height, Math.max(0, baseY - height)));

  const scaled = await rawInput(subject).extract(box).resize(width, height, { kernel: 'lanczos3' }).raw().toBuffer();
  const layers: Layer[] = [];
  if (options.shadow) {
    const shadow = await contactShadow({ left, top, width, height }, scene.width, scene.height, seeds);
    if (shadow) layers.push(shadow.layer);
  }
  layers.push({ input: scaled, raw: { width, height, channels: 4 }, left, top });
  const frame = await toFrame(rawInput(scene).composite(layers));
  steps.unshift(
    `Placed the subject of image ${labels.subject + 1} onto image ${labels.onto + 1} (${Math.round(
      (height / scene.height) * 100,
    )}% of its height, centred at ${Math.round(((left + width / 2) / scene.width) * 100)}% across)`,
  );
  if (options.shadow) steps.push('Added a soft contact shadow under it');
  return { ok: true, frame, steps, notes };
}

/**
 * References laid out edge to edge. Row: every image scaled to the smallest height (no
 * upscaling), so the width is the sum of the scaled widths. Column: the same on widths.
 * Grid: two columns of equal cells sized to the smallest image, each image fitted inside.
 */
export async function layout(frames: Frame[], mode: 'row' | 'column' | 'grid', labels: number[]): Promise<Composed> {
  const names = labels.map((i) => i + 1).join(', ');
  if (mode === 'grid') {
    const cellW = Math.min(...frames.map((f) => f.width));
    const cellH = Math.min(...frames.map((f) => f.height));
    const cols = frames.length <= 1 ? 1 : 2;
    const rows = Math.ceil(frames.length / cols);
    const layers: Layer[] = [];
    for (const [k, f] of frames.entries()) {
      const data = await rawInput(f)
        .resize(cellW, cellH, { fit: 'contain', background: { r: 255, g: 255, b: 255, alpha: 1 }, kernel: 'lanczos3' })
        .ensureAlpha()
        .raw()
        .toBuffer();
      layers.push({
        input: data,
        raw: { width: cellW, height: cellH, channels: 4 },
        left: (k % cols) * cellW,
        top: Math.floor(k / cols) * cellH,
      });
    }
    const canvas = sharp({
      create: { width: cellW * cols, height: cellH * rows, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 1 } },
    });
    return {
      ok: true,
      frame: await toFrame(canvas.composite(layers)),
      steps: [`Arranged images ${names} in a ${cols}×${rows} grid (${cellW}×${cellH} cells)`],
      notes: frames.length % cols === 0 ? [] : ['The empty grid cell is white.'],
    };
  }
  const horizontal = mode === 'row';
  const common = Math.min(...frames.map((f) => (horizontal ? f.height : f.width)));
  const layers: Layer[] = [];
  let offset = 0;
  for (const f of frames) {
    const w = horizontal ? Math.max(1, Math.round((f.width * common) / f.height)) : common;
    const h = horizontal ? common : Math.max(1, Math.round((f.height * common) / f.width));
    const data =
      w === f.width && h === f.height ? f.data : await rawInput(f).resize(w, h, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer();
    layers.push({ input: data, raw: { width: w, height: h, channels: 4 }, left: horizontal ? offset : 0, top: horizontal ? 0 : offset });
    offset += horizontal ? w : h;
  }
  const width = horizontal ? offset : common;
  const height = horizontal ? common : offset;
  const canvas = sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } });
  const resized = frames.some((f) => (horizontal ? f.height : f.width) !== common);
  return {
    ok: true,
    frame: await toFrame(canvas.composite(layers)),
    steps: [`Laid images ${names} ${horizontal ? 'side by side' : 'one above the other'} (${width}×${height})`],
    notes: resized ? [`Scaled to a common ${horizontal ? 'height' : 'width'} of ${common} px (the smallest, so nothing is enlarged).`] : [],
  };
}
