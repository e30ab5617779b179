import 'server-only';
import sharp from 'sharp';
import { z } from 'zod';
import { decodeImage, isOpaque, rawInput, type Frame } from './frame';
import { parseInstruction } from './parse';
import { runPipeline, type OutputResize } from './pipeline';
import { SeedSource } from './prng';

export { ENGINE_VOCABULARY } from './vocabulary';

/**
 * The offline engine: a deterministic image editor over sharp, not a generative model.
 * It reads a fixed vocabulary of instructions (see ENGINE_VOCABULARY), applies real pixel
 * edits, and fails with `bad_input` (listing that vocabulary) rather than ever returning
 * the input unchanged. Same input and seed give byte-identical output: randomness comes
 * only from the seed, and the encoders run with fixed options.
 */

export type EngineImage = { bytes: Buffer; width: number; height: number };
export type EngineInput = {
  instruction: string;
  negativePrompt?: string;
  seed: number;
  images: EngineImage[];
  size?: { width: number; height: number };
  outputFormat: 'png' | 'jpeg';
};
export type EngineResult =
  | {
      ok: true;
      bytes: Buffer;
      mime: 'image/png' | 'image/jpeg';
      width: number;
      height: number;
      applied: string[];
      notes: string[];
    }
  | { ok: false; code: 'bad_input'; message: string };

const inputSchema = z.object({
  instruction: z.string().trim().min(1, 'The instruction is empty.').max(2000),
  negativePrompt: z.string().max(2000).optional(),
  seed: z.number().int().min(0).max(0xffffffff),
  images: z
    .array(z.object({ bytes: z.instanceof(Buffer), width: z.number(), height: z.number() }))
    .min(1, 'The offline engine needs at least one reference image.')
    .max(4, 'The offline engine takes at most 4 reference images.'),
  size: z.object({ width: z.number().int().min(16).max(8192), height: z.number().int().min(16).max(8192) }).optional(),
  outputFormat: z.enum(['png', 'jpeg']),
});

const badInput = (message: string): EngineResult => ({ ok: false, code: 'bad_input', message });

export async function runEngine(input: EngineInput): Promise<EngineResult> {
  const parsedInput = inputSchema.safeParse(input);
  if (!parsedInput.success) {
    return badInput(parsedInput.error.issues.map((i) => i.message).join(' '));
  }
  const { instruction, negativePrompt, seed, size, outputFormat } = parsedInput.data;

  const frames: Frame[] = [];
  for (const [i, image] of input.images.entries()) {
    try {
      frames.push(await decodeImage(image.bytes));
    } catch {
      return badInput(`Image ${i + 1} could not be decoded as an image.`);
    }
  }

  const parsed = parseInstruction(instruction);
  const outcome = await runPipeline(parsed, frames, { instruction, negativePrompt, size, seeds: new SeedSource(seed) });
  if (!outcome.ok) return badInput(outcome.message);

  const notes = [...outcome.notes];
  const encoded = await encode(outcome.frame, outcome.output, outputFormat, notes);
  return {
    ok: true,
    bytes: encoded.bytes,
    mime: outputFormat === 'png' ? 'image/png' : 'image/jpeg',
    width: encoded.width,
    height: encoded.height,
    applied: outcome.applied,
    notes,
  };
}

/** Fixed encoder options: part of the byte-for-byte determinism promise. */
async function encode(
  frame: Frame,
  output: OutputResize | null,
  format: 'png' | 'jpeg',
  notes: string[],
): Promise<{ bytes: Buffer; width: number; height: number }> {
  let image = rawInput(frame);
  if (output) {
    image =
      output.how === 'upscale'
        ? image.resize(output.width, output.height, { fit: 'fill', kernel: 'lanczos3' })
        : image.resize(output.width, output.height, { fit: 'cover', position: sharp.strategy.attention, kernel: 'lanczos3' });
  }
  const opaque = isOpaque(frame);
  if (format === 'jpeg') {
    if (!opaque) {
      image = image.flatten({ background: { r: 255, g: 255, b: 255 } });
      notes.push('JPEG has no transparency: flattened onto white (choose PNG to keep it).');
    }
    image = image.jpeg({ quality: 90, progressive: false, chromaSubsampling: '4:2:0', optimiseCoding: true, mozjpeg: false });
  } else {
    // Opaque results drop the alpha channel: smaller files, same pixels.
    if (opaque) image = image.removeAlpha();
    image = image.png({ compressionLevel: 6, adaptiveFiltering: false, palette: false, progressive: false });
  }
  const { data, info } = await image.toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height };
}
