/**
 * The Data tab (dataset manager, issue #10) in Debian's Chromium, browser mode, against the
 * fake bridge harness: `d` opens it; the table lists every dataset; inline rename reaches the
 * server; delete asks first, naming the dataset and its size, Cancel keeps it, Delete removes
 * it on both sides; the active dataset cannot be deleted; Open views a stored dataset.
 *
 * Its screenshot is a test artifact (the fake bridge's rows); the docs one comes from the real
 * server (filesServe.test.ts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt } from '../../src/main/bridge/rendererBuild';
import { startFakeBridge, type FakeBridge } from '../renderer/harness/fakeBridgeServer';
import { ARTIFACTS, CHROMIUM, HAS_CHROMIUM, launchChromium, openApp, waitUntil } from './support';

if (!HAS_CHROMIUM) {
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
}

const SHOTS = ARTIFACTS;

describe.skipIf(!HAS_CHROMIUM)('dataset manager (fake bridge)', () => {
  let browser: Browser;
  let bridge: FakeBridge | undefined;

  beforeAll(async () => {
    ensureRendererBuilt();
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    bridge = await startFakeBridge({ scenario: 'demo', historyBars: 300 });
  }, 180_000);

  afterAll(async () => {
    await bridge?.close();
    await browser?.close();
  });

  it('lists, renames, deletes with confirmation and opens datasets', async () => {
    if (!bridge) throw new Error('bridge not started');
    const { page, errors } = await openApp(browser, bridge.url);
    await page.keyboard.press('d');
    const rows = page.getByTestId('dataset-row');
    await waitUntil(
      'three datasets',
      () => rows.count(),
      (n) => n === 3,
      10_000,
    );
    expect(await page.getByTestId('tab-data').getAttribute('aria-selected')).toBe('true');
    const row = (id: number) =>
      page.locator(`[data-testid="dataset-row"][data-dataset-id="${id}"]`);
    expect(await row(3).innerText()).toMatch(/Replay[\s\S]*BTCUSDT, ETHUSDT[\s\S]*96\.0 MB/);
    await page
      .locator('.data-layout')
      .screenshot({ path: join(SHOTS, 'dataset-manager-fake.png') });

    // The simulated market runs on dataset 2: it cannot be deleted.
    expect(await row(2).getByTestId('dataset-delete').isDisabled()).toBe(true);

    // Inline rename: Enter saves it on the server.
    await row(3).getByTestId('dataset-rename').click();
    const input = row(3).getByTestId('dataset-rename-input');
    await input.fill('July 18 capture');
    await input.press('Enter');
    await waitUntil(
      'the rename on the server',
      () => bridge!.files.datasets.find((d) => d.id === 3)?.label,
      (l) => l === 'July 18 capture',
      5_000,
    );
    expect(await row(3).getByTestId('dataset-label').innerText()).toBe('July 18 capture');

    // Delete asks first, naming the dataset and its size; Cancel keeps it.
    await row(1).getByTestId('dataset-delete').click();
    const dialog = page.getByTestId('delete-dialog');
    expect(await dialog.getByTestId('delete-dialog-text').innerText()).toMatch(
      /^Delete "Binance USD-M futures" \(dataset 1, 96\.0 MB\)\?/,
    );
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await dialog.count()).toBe(0);
    expect(await rows.count()).toBe(3);
    await row(1).getByTestId('dataset-delete').click();
    await page.getByTestId('delete-confirm').click();
    await waitUntil(
      'two datasets',
      () => rows.count(),
      (n) => n === 2,
      5_000,
    );
    expect(bridge.files.datasets.map((d) => d.id).sort()).toEqual([2, 3]);
    expect(await page.getByTestId('datasets-message').innerText()).toMatch(
      /^Deleted "Binance USD-M futures" \(dataset 1, 96\.0 MB\): 96\.0 MB reclaimed/,
    );

    // Open views the stored dataset: it becomes the one in use.
    await row(3).getByTestId('dataset-open').click();
    await waitUntil(
      'dataset 3 viewed',
      () => row(3).getAttribute('class'),
      (c) => c?.includes('viewing') === true,
      5_000,
    );
    expect(await row(3).getByTestId('dataset-delete').isDisabled()).toBe(true);
    expect(await row(2).getByTestId('dataset-delete').isDisabled()).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
