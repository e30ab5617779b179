/**
 * The ~24 real images the large data set reuses as references and outputs. Drawn with sharp
 * from SVG (products on backdrops over textured ground, so they compress like photos), then
 * prepared and stored exactly as an upload is: validation, thumbnail and preview included.
 * Content addressing makes reuse free: 10,000 variations point at a dozen output files.
 */
import sharp from 'sharp';
import { createRng } from './rng.mts';

type SeedAsset = { id: string; sha256: string; width: number; height: number; created: boolean };
export type SeedImages = { references: SeedAsset[]; outputs: SeedAsset[] };

const BACKDROPS = [
  '#e9e7e2',
  '#dfe7ef',
  '#f3e9e1',
  '#e6efe4',
  '#2f3437',
  '#f6f1e7',
  '#d9d4ea',
  '#ece4d8',
  '#cfd8dc',
  '#fbe9e7',
  '#e3f2fd',
  '#efebe9',
];
const COLOURS = [
  '#2b8a3e',
  '#c92a2a',
  '#1f6feb',
  '#f08c00',
  '#5f3dc4',
  '#0b7285',
  '#e64980',
  '#343a40',
  '#a61e4d',
  '#087f5b',
  '#d9480f',
  '#364fc7',
];

/** One of a few product silhouettes (bottle, mug, sneaker, chair), picked by index. */
function product(kind: number, colour: string, w: number, h: number): string {
  const cx = w / 2;
  const base = h * 0.78;
  switch (kind % 4) {
    case 0:
      return `<rect x="${cx - 70}" y="${base - 360}" width="140" height="360" rx="34" fill="${colour}"/>
        <rect x="${cx - 28}" y="${base - 430}" width="56" height="80" rx="10" fill="#343a40"/>
        <rect x="${cx - 55}" y="${base - 250}" width="110" height="90" rx="6" fill="#f8f9fa" opacity="0.92"/>`;
    case 1:
      return `<rect x="${cx - 120}" y="${base - 220}" width="200" height="220" rx="22" fill="${colour}"/>
        <path d="M ${cx + 80} ${base - 170} q 80 10 0 110" stroke="${colour}" stroke-width="26" fill="none"/>`;
    case 2:
      return `<path d="M ${cx - 220} ${base} L ${cx - 200} ${base - 120} Q ${cx - 60} ${base - 170} ${cx + 40} ${base - 90} L ${cx + 220} ${base - 60} Q ${cx + 240} ${base} ${cx + 200} ${base} Z" fill="${colour}"/>
        <rect x="${cx - 230}" y="${base - 14}" width="460" height="26" rx="12" fill="#f1f3f5"/>`;
    default:
      return `<rect x="${cx - 130}" y="${base - 200}" width="260" height="40" rx="8" fill="${colour}"/>
        <rect x="${cx - 130}" y="${base - 420}" width="40" height="260" rx="8" fill="${colour}"/>
        <rect x="${cx - 120}" y="${base - 160}" width="16" height="160" fill="#495057"/>
        <rect x="${cx + 104}" y="${base - 160}" width="16" height="160" fill="#495057"/>`;
  }
}

const GROUNDS = [
  ['#8d6e63', '#a1887f', '#6d4c41', '#bcaaa4', '#5d4037', '#d7ccc8'],
  ['#90a4ae', '#b0bec5', '#607d8b', '#cfd8dc', '#455a64', '#eceff1'],
  ['#a5d6a7', '#81c784', '#66bb6a', '#c8e6c9', '#388e3c', '#e8f5e9'],
  ['#ffe0b2', '#ffcc80', '#ffb74d', '#fff3e0', '#e65100', '#d7ccc8'],
] as const;

/**
 * A product on a backdrop over a pebble, gravel or leaf ground. The ground's hundreds of
 * small shapes give edges at every scale, so thumbnails weigh what a photo's do (~10 KB),
 * which flat synthetic images (1 KB) would understate tenfold in the benchmark.
 */
function svgFor(i: number, w: number, h: number): string {
  const rng = createRng(1000 + i);
  // Outputs (12–23) shift every choice so none looks like the reference with the same slot.
  const shift = Math.floor(i / 12);
  const back = BACKDROPS[(i * 7) % BACKDROPS.length]!;
  const colour = COLOURS[(i * 5 + shift * 3) % COLOURS.length]!;
  const light = i % 3 === 0 ? '#ffffff' : '#fff4e0';
  const ground = GROUNDS[(i + shift) % GROUNDS.length]!;
  const horizon = h * 0.68;
  let pebbles = '';
  for (let n = 0; n < 450; n++) {
    const y = rng.between(horizon - 10, h + 20);
    // Perspective: stones grow toward the camera.
    const r = rng.between(3, 16) * (0.5 + (2 * (y - horizon)) / (h - horizon));
    pebbles += `<ellipse cx="${rng.between(-20, w + 20).toFixed(0)}" cy="${y.toFixed(0)}" rx="${r.toFixed(1)}" ry="${(r * rng.between(0.45, 0.8)).toFixed(1)}" fill="${rng.pick(ground)}" opacity="${rng.between(0.55, 1).toFixed(2)}"/>`;
  }
  let panels = '';
  for (let x = rng.between(20, 90); x < w; x += rng.between(60, 140))
    panels += `<rect x="${x.toFixed(0)}" width="3" height="${horizon}" fill="#000" opacity="0.05"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
    <defs>
      <radialGradient id="l" cx="${25 + ((i * 13) % 50)}%" cy="20%" r="90%">
        <stop offset="0" stop-color="${light}" stop-opacity="0.8"/><stop offset="1" stop-color="${back}" stop-opacity="0"/>
      </radialGradient>
      <filter id="s"><feGaussianBlur stdDeviation="14"/></filter>
    </defs>
    <rect width="100%" height="100%" fill="${back}"/>${panels}
    <rect y="${horizon}" width="100%" height="${h - horizon}" fill="${ground[4]}"/>${pebbles}
    <rect width="100%" height="100%" fill="url(#l)"/>
    <ellipse cx="${w / 2}" cy="${h * 0.78}" rx="${w * 0.26}" ry="20" fill="#000" opacity="0.35" filter="url(#s)"/>
    ${product(i + shift, colour, w, h)}
  </svg>`;
}

/** Raw encoded bytes of image `i` (0–23): references are JPEG photos, outputs are PNG. */
async function drawSeedImage(i: number): Promise<{ bytes: Buffer; name: string }> {
  const isOutput = i >= 12;
  const [w, h] = isOutput ? ([896, 896] as const) : i % 2 === 0 ? ([960, 720] as const) : ([720, 960] as const);
  const img = sharp(Buffer.from(svgFor(i, w, h)));
  const bytes = isOutput ? await img.png({ compressionLevel: 6 }).toBuffer() : await img.jpeg({ quality: 86 }).toBuffer();
  return { bytes, name: isOutput ? `output-${i - 11}.png` : `reference-${i + 1}.jpg` };
}

/**
 * Prepares and stores the 24 images through the app's own upload path (prepareImage +
 * storeAsset), so each has its original, thumbnail and preview in the blob store and one Asset row.
 * `created` says whether this call added the row (only those are the seed's to delete).
 */
export async function storeSeedImages(): Promise<SeedImages> {
  const { prepareImage } = await import('@/lib/server/images/prepare');
  const { storeAsset } = await import('@/lib/server/assets');
  const { sha256 } = await import('@/lib/server/storage');
  const { db } = await import('@/lib/server/db/client');
  const out: SeedImages = { references: [], outputs: [] };
  // Two at a time: sharp already uses both cores inside one encode.
  for (let i = 0; i < 24; i += 2) {
    const pair = await Promise.all(
      [i, i + 1].map(async (n) => {
        const { bytes, name } = await drawSeedImage(n);
        const prepared = await prepareImage(bytes, name);
        if (!prepared.ok) throw new Error(`seed image ${name}: ${prepared.error.message}`);
        const before = await db().asset.findUnique({ where: { sha256: sha256(prepared.image.bytes) }, select: { id: true } });
        const stored = await storeAsset(prepared.image, n >= 12 ? 'output' : 'upload');
        return { n, asset: { id: stored.id, sha256: stored.sha256, width: stored.width, height: stored.height, created: !before } };
      }),
    );
    for (const { n, asset } of pair) (n >= 12 ? out.outputs : out.references).push(asset);
  }
  return out;
}
