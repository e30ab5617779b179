import 'server-only';
import { applyBackground, type BackgroundPlan } from './ops-background';
import { layout, placeSubject } from './ops-compose';
import { applyGeometry, upscaleSize, type GeometryOp } from './ops-geometry';
import { applyTone, recolourSubject, type ToneOp } from './ops-tone';
import type { Frame } from './frame';
import type { Op, OpKind, ParsedInstruction, PlacedOp } from './ops';
import { labStats, transferColours } from './palette';
import { between, type SeedSource } from './prng';
import { segment, type Segmentation } from './segment';
import { vocabularyList } from './vocabulary';

export type OutputResize = { width: number; height: number; how: 'upscale' | 'cover' };

export type PipelineOutcome =
  | { ok: true; frame: Frame; output: OutputResize | null; applied: string[]; notes: string[] }
  | { ok: false; message: string };

type Ctx = {
  instruction: string;
  negativePrompt?: string;
  size?: { width: number; height: number };
  seeds: SeedSource;
};

// Colour ops first, then white balance and tint, then tone curve, then detail.
const TONE_RANK: Record<ToneOp['kind'], number> = {
  saturation: 1,
  greyscale: 1,
  sepia: 1,
  warmth: 2,
  tint: 3,
  brightness: 4,
  contrast: 4,
  blur: 5,
  sharpen: 5,
};
const TONE_KINDS = new Set<OpKind>(Object.keys(TONE_RANK) as OpKind[]);
const GEOMETRY_KINDS = new Set<OpKind>(['flip', 'rotate', 'crop']);

function pick<K extends OpKind>(ops: PlacedOp[], kind: K): (Extract<Op, { kind: K }> & { at: number })[] {
  return ops.filter((o): o is Extract<Op, { kind: K }> & { at: number } => o.kind === kind);
}

function notUnderstood(instruction: string, parsed: ParsedInstruction): string {
  const shown = instruction.trim().length > 80 ? `${instruction.trim().slice(0, 77)}...` : instruction.trim();
  const negated = parsed.negated.length
    ? ` Everything it recognised was negated (${parsed.negated.map((n) => `"${n}"`).join(', ')}), so there is nothing to do.`
    : '';
  return (
    `The offline engine is a deterministic, non-generative image editor and did not understand "${shown}".${negated} ` +
    `It understands: ${vocabularyList()}. Example: "Replace the background with navy and make it warmer".`
  );
}

const fail = (message: string): PipelineOutcome => ({ ok: false, message });

export async function runPipeline(parsed: ParsedInstruction, frames: Frame[], ctx: Ctx): Promise<PipelineOutcome> {
  const { ops } = parsed;
  if (ops.length === 0) return fail(notUnderstood(ctx.instruction, parsed));
  const count = frames.length;
  const applied: string[] = [];
  const notes: string[] = [];
  const frameAt = (i: number): Frame => {
    const f = frames[i];
    if (!f) throw new Error(`engine: image ${i + 1} missing after validation`);
    return f;
  };

  const place = pick(ops, 'place')[0];
  const arrange = pick(ops, 'layout')[0];
  const palette = pick(ops, 'palette')[0];
  // Rules that need more than one image are named before the generic "image N missing" check.
  if (place && count < Math.max(place.subject, place.onto) + 1) {
    return fail(
      `Placing the subject of image ${place.subject + 1} onto image ${place.onto + 1} needs image ${Math.max(place.subject, place.onto) + 1}: add another reference image.`,
    );
  }
  if (place && place.subject === place.onto)
    return fail('Placing a subject needs two different images, e.g. "place the subject of image 1 onto image 2".');
  if (arrange && count < 2) return fail('Laying images side by side or in a grid needs at least 2 images: add image 2.');
  if (palette && count <= palette.from) {
    return fail(`Taking the palette of image ${palette.from + 1} needs image ${palette.from + 1}: add another reference image.`);
  }
  const missing = parsed.mentionedImages.find((i) => i >= count);
  if (missing !== undefined) {
    return fail(`The instruction mentions image ${missing + 1}, but only ${count} image${count === 1 ? ' was' : 's were'} given.`);
  }

  const shadowPref = ctx.negativePrompt && /shadow/i.test(ctx.negativePrompt) ? 'off' : parsed.shadow;
  if (ctx.negativePrompt?.trim()) {
    notes.push(
      shadowPref === 'off' && /shadow/i.test(ctx.negativePrompt)
        ? 'Negative prompt: no shadow added.'
        : 'The negative prompt was not used (the offline engine only reads "shadow" there).',
    );
  }

  // 1. Compose: the frame everything else edits.
  let frame: Frame;
  let untouched: Frame | null = null;
  const used = new Set<number>();
  if (place) {
    const harmonise = palette?.from === place.onto;
    const res = await placeSubject(
      frameAt(place.subject),
      frameAt(place.onto),
      place,
      { shadow: shadowPref !== 'off', harmonise },
      ctx.seeds,
    );
    if (!res.ok) return fail(res.message);
    ({ frame } = res);
    applied.push(...res.steps);
    notes.push(...res.notes);
    used.add(place.subject).add(place.onto);
    if (arrange) notes.push('The layout request was ignored: placing one image onto another already combines them.');
  } else if (arrange) {
    const indices = parsed.mentionedImages.length >= 2 ? parsed.mentionedImages : frames.map((_f, i) => i);
    const res = await layout(indices.map(frameAt), arrange.mode, indices);
    if (!res.ok) return fail(res.message);
    ({ frame } = res);
    applied.push(...res.steps);
    notes.push(...res.notes);
    for (const i of indices) used.add(i);
  } else {
    const base = palette
      ? (palette.to ?? (palette.from === 0 ? 1 : 0))
      : parsed.mentionedImages.length === 1
        ? (parsed.mentionedImages[0] ?? 0)
        : 0;
    if (palette && count < 2) return fail(`Taking the palette of image ${palette.from + 1} needs a second image to apply it to.`);
    frame = frameAt(base);
    untouched = frame;
    used.add(base);
    if (base !== 0) notes.push(`Edited image ${base + 1}, the one the instruction names.`);
  }
  if (palette && !(place && palette.from === place.onto)) {
    const strength = between(ctx.seeds.stream('palette'), 0.85, 1);
    frame = transferColours(frame, await labStats(frame), await labStats(frameAt(palette.from)), strength);
    applied.push(`Took the palette of image ${palette.from + 1} (Lab mean and spread matched, ${Math.round(strength * 100)}%)`);
    used.add(palette.from);
  }
  const unused = frames.map((_f, i) => i).filter((i) => !used.has(i));
  if (unused.length) notes.push(`Not used by this instruction: ${unused.map((i) => `image ${i + 1}`).join(', ')}.`);

  // 2. Geometry, in the order written.
  for (const op of ops.filter((o) => GEOMETRY_KINDS.has(o.kind)) as (GeometryOp & { at: number })[]) {
    const res = await applyGeometry(frame, op, ctx.seeds);
    frame = res.frame;
    applied.push(res.step);
  }

  // 3. Segment before any tone edit changes the backdrop's colour.
  let plan: BackgroundPlan | undefined =
    pick(ops, 'replaceBackground')[0] ?? pick(ops, 'blurBackground')[0] ?? pick(ops, 'removeBackground')[0];
  const bgCount = ops.filter((o) => o.kind === 'replaceBackground' || o.kind === 'blurBackground').length;
  if (bgCount > 1) notes.push('Several backgrounds were asked for; the first one was used.');
  if (place && plan) {
    notes.push('The background change was ignored: the subject was placed onto another image instead.');
    plan = undefined;
  }
  const recolours = place ? [] : pick(ops, 'recolourSubject');
  let seg: Segmentation | null = null;
  if (plan || recolours.length) {
    const res = await segment(frame);
    if (!res.ok) return fail(res.message);
    seg = res.seg;
    notes.push(`Segmentation: ${seg.description}; the subject covers ${Math.round(seg.coverage * 100)}% of the frame.`);
  }

  // 4. Colour and tone.
  for (const op of recolours) {
    if (!seg) break;
    const res = recolourSubject(frame, seg.alpha, op.colour, ctx.seeds);
    frame = res.frame;
    applied.push(res.step);
  }
  const tones = (ops.filter((o) => TONE_KINDS.has(o.kind)) as (ToneOp & { at: number })[]).sort(
    (a, b) => TONE_RANK[a.kind] - TONE_RANK[b.kind] || a.at - b.at,
  );
  for (const op of tones) {
    const res = await applyTone(frame, op, ctx.seeds);
    frame = res.frame;
    applied.push(res.step);
  }

  // 5. Background, with the mask from step 3.
  if (plan && seg) {
    const studio = plan.kind === 'replaceBackground' && plan.fill.type === 'studio';
    const shadow = shadowPref === 'on' || (shadowPref === 'auto' && studio);
    const res = await applyBackground(frame, seg, plan, shadow, ctx.seeds);
    frame = res.frame;
    applied.push(...res.steps);
  } else if (shadowPref === 'on' && !place) {
    notes.push('A shadow is only added together with a background change or a placement; it was ignored.');
  }

  // 6. Output size: an explicit upscale or size in the words wins over the form's size.
  const output = outputSize(frame, ops, ctx.size, applied, notes);

  // Never hand back the input as if it had been edited ("square" on a square picture).
  if (!output && untouched && sameFrame(frame, untouched)) {
    return fail(
      `Nothing changed: ${applied.join('; ') || 'the operations had no effect on this image'}. The offline engine only reports success for a real edit.`,
    );
  }

  for (const text of parsed.ignored)
    notes.push(`Not understood, ignored: "${text}" (the offline engine edits pixels; it cannot generate new content).`);
  for (const text of parsed.negated) notes.push(`Not done, as asked: "${text}".`);
  if (!ctx.seeds.used) notes.push('Nothing in this instruction is left open, so every seed gives the same result.');
  return { ok: true, frame, output, applied, notes };
}

function outputSize(frame: Frame, ops: PlacedOp[], size: Ctx['size'], applied: string[], notes: string[]): OutputResize | null {
  const upscale = pick(ops, 'upscale')[0];
  const resize = pick(ops, 'resize')[0];
  if (upscale) {
    const long = Math.max(frame.width, frame.height);
    if (upscale.longSide !== undefined && upscale.longSide <= long) {
      notes.push(`Not upscaled: the image is already ${long} px on its long side, at least ${upscale.label ?? upscale.longSide}.`);
      return null;
    }
    const target = upscaleSize(frame, upscale.longSide !== undefined ? upscale.longSide / long : upscale.factor);
    if (resize || size) notes.push('The requested output size was not applied: the upscale sets the size.');
    if (target.width <= frame.width) {
      notes.push(`Not upscaled: the image is already at the ${Math.max(frame.width, frame.height)} px limit.`);
      return null;
    }
    if (target.capped) notes.push(`Upscale capped at 8192 px on the long side (${target.width}×${target.height}).`);
    applied.push(`Upscaled ${Number((target.width / frame.width).toFixed(2))}× to ${target.width}×${target.height} (Lanczos)`);
    notes.push('Upscaling interpolates (Lanczos): it adds pixels, not detail.');
    return { width: target.width, height: target.height, how: 'upscale' };
  }
  const wanted = resize ?? size;
  if (!wanted) return null;
  const width = Math.min(8192, Math.max(1, Math.round(wanted.width)));
  const height = Math.min(8192, Math.max(1, Math.round(wanted.height)));
  if (width === frame.width && height === frame.height) return null;
  const sameShape = Math.abs(width / height - frame.width / frame.height) < 0.01;
  const how = sameShape ? '' : ', cropped to the new shape around the most salient part';
  if (resize) applied.push(`Resized to ${width}×${height}${how}`);
  else notes.push(`Resized to the requested ${width}×${height}${how}.`);
  return { width, height, how: 'cover' };
}

function sameFrame(a: Frame, b: Frame): boolean {
  return a.width === b.width && a.height === b.height && a.data.equals(b.data);
}
