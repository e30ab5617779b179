import 'server-only';
import sharp, { type Sharp } from 'sharp';
import { contactShadow, makeBackdrop, type Layer } from './backgrounds';
import { rawInput, toFrame, withAlpha, type Frame } from './frame';
import type { BackgroundFill } from './ops';
import type { SeedSource } from './prng';
import type { Segmentation } from './segment';

export type BackgroundPlan =
  | { kind: 'removeBackground' }
  | { kind: 'replaceBackground'; fill: BackgroundFill }
  | { kind: 'blurBackground'; amount: number };

export type BackgroundResult = { frame: Frame; steps: string[] };

/**
 * Applies the background change with the mask computed before any tone edits, so that
 * "replace the background with navy and make it warmer" warms the subject while the navy
 * stays the navy that was asked for.
 */
export async function applyBackground(
  frame: Frame,
  seg: Segmentation,
  plan: BackgroundPlan,
  shadow: boolean,
  seeds: SeedSource,
): Promise<BackgroundResult> {
  const subject = withAlpha(frame, seg.alpha);
  const subjectLayer: Layer = {
    input: subject.data,
    raw: { width: frame.width, height: frame.height, channels: 4 },
    left: 0,
    top: 0,
  };
  const steps: string[] = [];
  const shadowLayer = shadow ? await contactShadow(seg.box, frame.width, frame.height, seeds) : null;

  if (plan.kind === 'removeBackground') {
    steps.push('Removed background (transparent)');
    if (!shadowLayer) return { frame: subject, steps };
    steps.push(shadowLayer.step);
    const canvas = sharp({ create: { width: frame.width, height: frame.height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } });
    return { frame: await toFrame(canvas.composite([shadowLayer.layer, subjectLayer])), steps };
  }

  let base: Sharp;
  if (plan.kind === 'blurBackground') {
    const sigma = Math.max(1.5, (Math.min(frame.width, frame.height) / 120) * plan.amount);
    // Blur the backdrop alone (the subject's pixels get alpha 0, and sharp blurs premultiplied),
    // so no smear of the subject's colour rings it; then the sharp subject goes back on top.
    const inverse = new Uint8Array(seg.alpha.length);
    for (let p = 0; p < inverse.length; p += 1) inverse[p] = 255 - (seg.alpha[p] ?? 0);
    const blurred = await rawInput(withAlpha(frame, inverse)).blur(sigma).raw().toBuffer();
    for (let i = 3; i < blurred.length; i += 4) blurred[i] = 255;
    base = sharp(blurred, { raw: { width: frame.width, height: frame.height, channels: 4 } });
    steps.push(`Blurred the background (sigma ${sigma.toFixed(1)} px), subject kept sharp`);
  } else {
    const backdrop = makeBackdrop(plan.fill, frame.width, frame.height, seeds);
    base = sharp(backdrop.data, { raw: { width: backdrop.width, height: backdrop.height, channels: 3 } });
    steps.push(`Replaced background with ${backdrop.description}`);
  }
  const layers = shadowLayer ? [shadowLayer.layer, subjectLayer] : [subjectLayer];
  if (shadowLayer) steps.push(shadowLayer.step);
  return { frame: await toFrame(base.composite(layers)), steps };
}
