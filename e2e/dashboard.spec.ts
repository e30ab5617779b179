import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { resetFake } from './fakes/registry';
import { productImage } from './support/images';
import { newSession, variations } from './support/studio';

const WAVESPEED = 'Wan 2.7 image edit (WaveSpeed)';

test.afterEach(async () => {
  await resetFake('wavespeed');
});

/** The per-target table's row for a target (its row header is the target's label). */
function row(page: Page, label: string) {
  return page
    .getByRole('table', { name: 'Latency, reliability and cost per target' })
    .getByRole('row', { name: new RegExp(`^${label.replace(/[().[\]]/g, '\\$&')}`) });
}

/** The Variations figure of a target's row, 0 when the target has no row in this view. */
async function variationCount(page: Page, label: string): Promise<number> {
  const r = row(page, label);
  if ((await r.count()) === 0) return 0;
  // innerText, not textContent: the "n pending" note under the count is on its own rendered line.
  // biome-ignore lint/performance/useDomNodeTextContent: the line break is what separates the figures
  return Number((await r.getByRole('cell').first().innerText()).split('\n')[0]);
}

test('the dashboard shows figures after runs against the fakes; a probe is estimated, confirmed and recorded; the CSV has its rows', async ({
  page,
}) => {
  test.setTimeout(240_000);
  // A run in the studio on WaveSpeed (and the offline engine, picked by default).
  await newSession(page);
  await page.getByLabel('Reference images').setInputFiles([await productImage('dash-1.png', '#0b7285')]);
  await expect(page.getByRole('list', { name: 'References', exact: true }).getByRole('img')).toHaveCount(1);
  await page.getByLabel('Instruction').fill('Put the product on a white background');
  await page
    .getByRole('group', { name: 'Targets' })
    .getByRole('checkbox', { name: /^Wan 2\.7 image edit \(WaveSpeed\)/ })
    .check();
  await page.getByLabel('Variations per target').selectOption('1');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(variations(page)).toHaveCount(2, { timeout: 30_000 });

  // The dashboard, reached from the sidebar: figures for both targets.
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await expect(page).toHaveURL(/\/providers$/);
  await expect(page.getByRole('heading', { name: 'Provider dashboard' })).toBeVisible();
  const wave = row(page, WAVESPEED);
  await expect(wave).toBeVisible();
  await expect(row(page, 'Offline engine')).toBeVisible();
  expect(await variationCount(page, WAVESPEED)).toBeGreaterThanOrEqual(1);
  // Success rate and a measured total P50 (not "—") for the target that just ran.
  await expect(wave.getByRole('cell').nth(1)).toContainText('%');
  await expect(wave.getByRole('cell').nth(12)).toHaveText(/\d+(\.\d)? (ms|s)/);
  // The charts are there, each with a text alternative.
  await expect(page.getByRole('img', { name: /^Latency percentiles per target/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /variations over \d+ days/ })).toBeVisible();

  // Probes only: what the burn test adds shows here.
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/ledger/stats') && r.url().includes('probes=only')),
    page.getByRole('combobox', { name: 'Probes', exact: true }).selectOption('only'),
  ]);
  await expect(page.getByText('Updating…')).toHaveCount(0);
  const before = await variationCount(page, WAVESPEED);

  const probe = page.getByRole('region', { name: 'Probe (burn test)' });
  await probe.getByRole('group', { name: 'Targets to probe' }).getByRole('checkbox', { name: WAVESPEED, exact: true }).check();
  await probe.getByLabel('Edits per target').fill('2');
  // Nothing is sent before the estimate is shown and confirmed.
  await expect(probe.getByRole('button', { name: /^Run probe/ })).toHaveCount(0);
  await probe.getByRole('button', { name: 'Estimate cost' }).click();
  const estimate = probe.getByRole('status', { name: 'Probe estimate' });
  await expect(estimate).toContainText(/2 edits · estimate \$0\.06/);
  await probe.getByRole('button', { name: /^Run probe \(\$0\.06\)/ }).click();
  await expect(probe.getByText('Probe started: 2 edits queued.')).toBeVisible();

  // Recorded: the count grows by two and both finish.
  await expect.poll(() => variationCount(page, WAVESPEED), { timeout: 30_000 }).toBe(before + 2);
  await expect(row(page, WAVESPEED).getByRole('cell').nth(1)).toContainText(`${before + 2} ok`, { timeout: 30_000 });

  // The CSV of this view: one row per probe variation, with its kind, target and timings.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^proofsheet-ledger-7d-probes-only-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync((await download.path())!, 'utf8')
    .trimEnd()
    .split('\r\n');
  const header = lines[0]!.split(',');
  expect(header).toEqual(
    expect.arrayContaining(['queued_at', 'target', 'status', 'queue_ms', 'provider_ms', 'total_ms', 'cost_usd', 'run_kind']),
  );
  const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
  const waveRows = rows.filter((r) => r.target === 'wavespeed:alibaba/wan-2.7/image-edit');
  expect(waveRows).toHaveLength(before + 2);
  for (const r of waveRows) {
    expect(r).toMatchObject({ run_kind: 'probe', status: 'succeeded' });
    expect(Number(r.total_ms)).toBeGreaterThanOrEqual(0);
  }
  expect(rows.every((r) => r.run_kind === 'probe')).toBe(true);
});
