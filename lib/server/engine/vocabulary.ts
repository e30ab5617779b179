import 'server-only';

/** What the offline engine understands, for the UI's help and its own error message. */
export const ENGINE_VOCABULARY: { phrase: string; example: string }[] = [
  { phrase: 'remove the background', example: 'Remove the background (transparent PNG)' },
  { phrase: 'replace the background with a colour', example: 'Replace the background with navy (or #1e3a8a)' },
  { phrase: 'gradient background', example: 'Put it on a gradient from navy to teal' },
  { phrase: 'white studio backdrop', example: 'White studio backdrop with a soft shadow' },
  { phrase: 'blur the background', example: 'Blur the background' },
  { phrase: 'black and white / sepia', example: 'Make it black and white' },
  { phrase: 'warmer / cooler', example: 'Make it a bit warmer' },
  { phrase: 'brighter / darker', example: 'Much brighter' },
  { phrase: 'more / less contrast', example: 'More contrast' },
  { phrase: 'more / less saturation', example: 'More vivid colours' },
  { phrase: 'blur / sharpen', example: 'Sharpen it slightly' },
  { phrase: 'tint or recolour', example: 'Tint it teal; recolour the product red' },
  { phrase: 'flip / mirror', example: 'Flip horizontally' },
  { phrase: 'rotate', example: 'Rotate 90 degrees; rotate 15 degrees counter-clockwise' },
  { phrase: 'crop to a ratio', example: 'Crop to 16:9; square; portrait 4:5' },
  { phrase: 'upscale for print', example: 'Upscale 2x for print' },
  { phrase: 'place image 1 onto image 2', example: 'Place the subject of image 1 onto image 2' },
  { phrase: 'take the palette of image 2', example: 'Take the palette of image 2' },
  { phrase: 'side by side / grid', example: 'Put the images side by side' },
];

export function vocabularyList(): string {
  return ENGINE_VOCABULARY.map((v) => v.phrase).join('; ');
}
