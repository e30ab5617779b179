/** Upload rules, shared by the drop zone (early feedback) and the server (the real check). */
export const MAX_REFERENCES = 4;
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Longer sides are downscaled to this before storage, and the user is told. */
export const MAX_STORED_SIDE = 2048;
/** Decoding refuses images with more pixels than this (decompression bombs). */
export const MAX_INPUT_PIXELS = 40_000_000;
export const ACCEPTED_MIME = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const MAX_VARIATIONS = 4;
export const MAX_TARGETS = 8;
export const MAX_INSTRUCTION_LENGTH = 2000;
