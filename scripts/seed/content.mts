/**
 * The words of the large data set: instructions, titles, notes and failure messages the
 * way people and providers actually write them, so screens and search look real.
 */
import type { ProviderId } from '@/lib/providers/catalog';

export const LARGE_SESSION_TITLE = 'Large session (1,000 variations)';

export const INSTRUCTIONS = [
  'Replace the background with a seamless white studio sweep, keep the soft shadow under the product',
  'Put the bottle on a wet slate surface with morning light from the left',
  'Change the jacket colour to deep forest green, keep the fabric texture',
  'Remove the price tag and the reflection in the window',
  'Make it golden hour: warm low sun, long shadows, slight haze',
  'Swap the sneakers from Image 1 onto the model in Image 2',
  'Place the mug from Image 1 on the kitchen counter in Image 2, match the lighting',
  'Turn the living room into a Scandinavian style: light oak floor, linen sofa, plants',
  'Extend the canvas to 16:9, continue the beach and the sky naturally',
  'Remove the person in the background on the right',
  'Make the sky overcast and moody, darken the foreground slightly',
  'Recolour the logo to #1f6feb and keep everything else identical',
  'Add light rain and reflections on the pavement',
  'Give the photo a 1970s film look: faded blacks, warm grain',
  'Replace the table with white marble, keep the plates exactly where they are',
  'Put the watch on a wrist, close-up, natural skin tones',
  'Change the season to winter: snow on the roofs and the trees',
  'Clean up the product: remove dust and scratches, straighten the label',
  'Make the packaging matte black with the same typography in silver',
  'Stage the empty room with a mid-century desk, chair and a floor lamp',
  'Relight as a night scene with warm window light and street lamps',
  'Turn the sketch in Image 1 into a photoreal render using the materials in Image 2',
  'Remove the watermark in the bottom right corner',
  'Swap the background for a sunny Mediterranean terrace, shallow depth of field',
  'Add a subtle drop shadow and place on a pastel pink backdrop',
  'Make the headphones rose gold, keep the cushions black',
  'Change her shirt to a white linen shirt, keep pose and expression',
  'Replace the label text with "Harbour Roast — Single Origin"',
  'Put the chair in Image 1 into the scene in Image 2, facing the window',
  'Brighten the interior, open the shadows, keep the windows from blowing out',
  'Make the car metallic blue and clean the wheels',
  'Convert to a flat lay on a linen tablecloth, top-down',
  'Add steam rising from the coffee cup',
  'Remove the cables and the power socket from the wall',
  'Change the flowers in the vase to white peonies',
  'Place the perfume bottle among river stones with water splashes',
  'Make the grass greener and fill the bare patches',
  'Turn the storefront sign into neon, evening light',
  'Combine Image 1 and Image 2 into one catalogue layout, product left, model right',
  'Remove the background completely and leave a clean cut-out on light grey',
] as const;

export const NEGATIVE_PROMPTS = [
  'blurry, extra fingers, distorted text',
  'watermark, logo, text',
  'oversaturated, plastic skin',
  'harsh shadows, lens flare',
  'duplicate objects, warped edges',
] as const;

export const SESSION_TOPICS = [
  'Spring catalogue — sneakers',
  'Harbour Roast packaging',
  'Living room staging, flat 4B',
  'Watch campaign close-ups',
  'Summer lookbook retouch',
  'Kitchen counter product shots',
  'Perfume hero image',
  'Storefront night scene',
  'Headphones colourways',
  'Beach extension tests',
  'Menu photos, new season',
  'Chair in context',
  'Client review round 2',
  'Label text swaps',
  'Backdrop colour study',
  'Moody sky experiments',
  'Marble table set',
  'Car colour options',
  'Flat lay series',
  'Interior relight',
] as const;

export const SESSION_NOTES = [
  'Client prefers warmer light; avoid pure white backgrounds.',
  'Final picks go to the shared folder on Friday.',
  'Brand green is #2b8a3e. Keep the logo untouched.',
  'Compare wan against kontext for every shot.',
  'Use Image 1 as the product, Image 2 as the scene.',
] as const;

export const RUN_NOTES = [
  'Best composition so far.',
  'Shadows too hard, try again with softer light.',
  'Label text came out wrong on most targets.',
  'Good base for the next round.',
  'Client liked this direction.',
  'Colours drift on the second variation.',
] as const;

export const VARIATION_NOTES = [
  'Send to client.',
  'Fix the left edge before using.',
  'Hands look off.',
  'Use this one for the banner.',
  'Almost: the text is slightly blurred.',
  'Keeper.',
] as const;

/** Failure messages as the worker stores them (already redacted, see jobs/execute.ts). */
export const FAILURES = {
  auth: ['The provider refused the API key (HTTP 401).', 'Incorrect API key provided.'],
  insufficient_funds: ['Insufficient credit to run this model (HTTP 402).', 'Your account balance is too low.'],
  rate_limited: ['Too many requests (HTTP 429) (retrying, attempt 3 of 3)', 'Rate limit exceeded for this model.'],
  bad_input: ['The image is smaller than the 64 px this model accepts.', 'Unsupported size for this model: 2048x2048.'],
  content_policy: [
    'Input blocked by the provider’s content policy. Input data may contain inappropriate content.',
    'Output withheld by the provider’s content policy. The provider withheld the generated image.',
  ],
  provider_error: [
    'The provider failed (HTTP 500).',
    'The provider reported success but returned no image.',
    'Upstream service unavailable (HTTP 503).',
  ],
  timeout: ['No result within 300 s; the job was cancelled where the provider allows it.'],
  interrupted: ['The server stopped while this was running: it may have been submitted, so it was not resent.'],
} as const;
export type FailureCode = keyof typeof FAILURES;

/** Typical seconds from submit to result, per provider (queue + inference). */
export const LATENCY_S: Record<ProviderId, readonly [number, number]> = {
  offline: [0.2, 1.4],
  wavespeed: [5, 18],
  dashscope: [12, 45],
  kie: [20, 95],
  modelslab: [15, 60],
  together: [4, 14],
  replicate: [5, 28],
  fal: [4, 20],
  openai: [22, 75],
  stability: [5, 18],
  atlascloud: [10, 30],
  comfyui: [8, 40],
};
