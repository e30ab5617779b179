import 'server-only';

/** A random source in [0, 1): deterministic for a given seed, never Math.random. */
export type Rng = () => number;

/** mulberry32: tiny, fast, good enough to vary shades and placements reproducibly. */
function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, used to derive one independent stream per purpose from the one seed. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Seed-derived randomness, one stream per purpose ("shade", "shadow"...), so that adding
 * an operation to an instruction does not reshuffle what the other operations chose.
 * `used` tells the caller whether the seed influenced the result at all.
 */
export class SeedSource {
  private touched = false;

  constructor(private readonly seed: number) {}

  stream(purpose: string): Rng {
    this.touched = true;
    // Warm up once: the first outputs of mulberry32 for nearby seeds are correlated.
    const rng = mulberry32((this.seed ^ fnv1a(purpose)) >>> 0);
    rng();
    return rng;
  }

  get used(): boolean {
    return this.touched;
  }
}

/** Uniform value in [min, max). */
export function between(rng: Rng, min: number, max: number): number {
  return min + (max - min) * rng();
}
