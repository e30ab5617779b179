import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

const dir = path.join(os.tmpdir(), 'proofsheet-e2e-fixtures');

/** A product-like test image: a coloured disc on a light studio backdrop. */
export async function productImage(name: string, colour: string, size = 640): Promise<string> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">
    <rect width="100%" height="100%" fill="#ecebe8"/>
    <circle cx="${size / 2}" cy="${size / 2}" r="${size / 4}" fill="${colour}"/></svg>`;
  return save(name, await sharp(Buffer.from(svg)).png().toBuffer());
}

export async function largeImage(name: string, width: number, height: number): Promise<string> {
  const bytes = await sharp({ create: { width, height, channels: 3, background: '#8899aa' } })
    .png()
    .toBuffer();
  return save(name, bytes);
}

export function save(name: string, bytes: Buffer): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}
