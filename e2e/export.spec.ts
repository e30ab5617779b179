import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import sharp from 'sharp';
import { exportManifestSchema, provenancePayloadSchema } from '../lib/schemas/export';
import { unzip } from '../lib/testing/unzip';
import { save } from './support/images';
import { dropFiles, generate, newSession, selectInGrid, variations } from './support/studio';

/** The `proofsheet` iTXt chunk of a PNG, read independently of the server's code. */
function pngProvenance(png: Buffer): unknown {
  let at = 8;
  while (at < png.length) {
    const len = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + len);
    if (type === 'iTXt' && data.toString('latin1', 0, 11) === 'proofsheet\0') {
      // keyword\0, compression flag 0, method 0, no language\0, no translated keyword\0, text.
      return JSON.parse(data.subarray(15).toString('utf8'));
    }
    at += 12 + len;
  }
  return null;
}

async function downloadZip(page: Page, click: () => Promise<void>) {
  const downloading = page.waitForEvent('download');
  await click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^proofsheet-[a-z0-9-]+\.zip$/);
  const files = await unzip(readFileSync((await download.path())!));
  const manifest = exportManifestSchema.parse(JSON.parse(files.get('manifest.json')!.toString('utf8')));
  return { files, manifest, name: download.suggestedFilename() };
}

test('export a selection and a gallery as zips with provenance; an exported image dropped back offers its history and settings', async ({
  page,
}) => {
  await newSession(page);
  const sessionUrl = page.url();
  // The offline engine understands this, and its result depends on the seed: two different images
  // (a gallery holds each image once).
  const instruction = 'replace the background with navy';
  await generate(page, instruction, 2, 'export-ref.png', '#5f3dc4');
  await expect(variations(page)).toHaveCount(2);

  // Select both in the grid; the bulk bar exports them.
  await selectInGrid(page, 2);
  const bar = page.getByRole('toolbar', { name: 'Selected variations' });
  const selection = await downloadZip(page, () => bar.getByRole('button', { name: 'Export zip' }).click());
  expect(selection.name).toMatch(/^proofsheet-selection-2-/);
  expect([...selection.files.keys()]).toEqual([...selection.manifest.items.map((i) => i.fileName), 'manifest.json']);
  expect(selection.manifest.source).toEqual({ kind: 'selection' });
  expect(selection.manifest.items).toHaveLength(2);
  for (const [i, item] of selection.manifest.items.entries()) {
    expect(item.fileName).toMatch(new RegExp(`^0${i + 1}-offline-engine-v1-[A-Za-z0-9]{8}\\.png$`));
    expect(item.variation).toMatchObject({ instruction, provider: 'offline', targetId: 'offline:engine-v1' });
    expect(item.variation!.references).toHaveLength(1);
    const png = selection.files.get(item.fileName)!;
    const embedded = provenancePayloadSchema.parse(pngProvenance(png));
    expect(embedded).toMatchObject({ variationId: item.variation!.variationId, instruction, outputSha256: item.originalSha256 });
    expect((await sharp(png).metadata()).xmp?.toString()).toContain('proofsheet:provenance=');
  }

  // The same two in a new gallery, exported from the gallery page.
  await bar.getByRole('button', { name: 'Add to gallery' }).click();
  const dialog = page.getByRole('dialog', { name: /^Add to gallery/ });
  const title = `Export check ${Date.now()}`;
  await dialog.getByLabel('New gallery title').fill(title);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`Added 2 images to “${title}”.`)).toBeVisible();
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  const gallery = await downloadZip(page, () => page.getByRole('button', { name: 'Export zip' }).click());
  expect(gallery.name).toMatch(/^proofsheet-export-check-\d+-\d{4}-\d{2}-\d{2}\.zip$/);
  expect(gallery.manifest.source).toMatchObject({ kind: 'gallery', title });
  expect(gallery.manifest.items.map((i) => i.variation?.variationId).sort()).toEqual(
    selection.manifest.items.map((i) => i.variation?.variationId).sort(),
  );

  // Drop an exported image back into the studio: it is recognised.
  const first = selection.manifest.items[0]!;
  const exported = save('exported-back.png', selection.files.get(first.fileName)!);
  await page.goto(sessionUrl);
  await dropFiles(page, [exported]);
  const offer = page.getByRole('region', { name: 'Image from Proofsheet' });
  await expect(offer).toBeVisible();
  await expect(offer).toContainText(instruction);
  await page.getByLabel('Instruction').fill('');
  await offer.getByRole('button', { name: 'Reuse its settings' }).click();
  await expect(page.getByLabel('Instruction')).toHaveValue(instruction);
  await expect(page.getByLabel('Seed', { exact: true })).toHaveValue(String(first.variation!.seed));
  await offer.getByRole('link', { name: 'Open its history entry' }).click();
  await expect(page).toHaveURL(new RegExp(`/v/${first.variation!.variationId}$`));
});
