/** Upload rules, shared by the drop zone (early feedback) and the server (the real check). */
export const MAX_REFERENCES = 4;
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Longer sides are downscaled to this before storage, and the user is told. */
export const MAX_STORED_SIDE = 2048;
/** Decoding refuses images with more pixels than this (decompression bombs). */
export const MAX_INPUT_PIXELS = 40_000_000;
/**
 * Interlaced PNGs and progressive JPEGs are decoded whole, not row by row, and 16-bit samples
 * take twice the memory: such images get a tighter cap, and the tightest when both apply.
 */
export const MAX_INPUT_PIXELS_HEAVY = 16_000_000;
export const MAX_INPUT_PIXELS_HEAVIEST = 8_000_000;
/** Shorter sides are refused: a 2048×1 strip would be upscaled absurdly for most models. */
export const MIN_UPLOAD_SIDE = 64;
/** Long side over short side; beyond it an image is refused rather than adapted. */
export const MAX_UPLOAD_ASPECT = 8;
/** Pixels of any image built while adapting references for a model (resized, stitched). */
export const MAX_ADAPTED_PIXELS = 24_000_000;
export const ACCEPTED_MIME = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const MAX_VARIATIONS = 4;
export const MAX_TARGETS = 8;
export const MAX_INSTRUCTION_LENGTH = 2000;
