/**
 * Files in and out (issue #10) in Debian's Chromium, browser mode, against the fake bridge
 * harness behind the REAL browser server (its `/files/upload` and `/files/download/<id>`):
 * a file dropped on the window (a `DataTransfer` with a `File`) shows the overlay, is uploaded,
 * inspected and listed in the import sheet; Import shows progress and ends with the result card
 * and the new dataset opened; a file with bad lines lists them with file:line and its full
 * report downloads; an unrecognised file says which formats are accepted; an export downloads
 * the CSV the server wrote.
 *
 * With PAIRDESK_DOCS_SHOTS=1 the screenshots are written to docs/screenshots/ (import-sheet,
 * import-progress); otherwise to the test artifacts.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt } from '../../src/main/bridge/rendererBuild';
import { REPO_ROOT } from '../support/realData';
import { startFakeBridge, type FakeBridge } from '../renderer/harness/fakeBridgeServer';
import {
  ARTIFACTS,
  CHROMIUM,
  dropFiles,
  HAS_CHROMIUM,
  launchChromium,
  openApp,
  waitUntil,
} from './support';

if (!HAS_CHROMIUM) {
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
}

const FIXTURES = join(REPO_ROOT, 'tests', 'fixtures', 'formats');
const AGG = 'BTCUSDT-aggTrades-2024-07-18.csv';
const BAD = 'bad-BTCUSDT-aggTrades-2024-07-18.csv';
const SHOTS =
  process.env.PAIRDESK_DOCS_SHOTS === '1' ? join(REPO_ROOT, 'docs', 'screenshots') : ARTIFACTS;

const fixture = (name: string) => ({ name, text: readFileSync(join(FIXTURES, name), 'utf8') });

async function download(
  page: Page,
  click: () => Promise<void>,
): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

describe.skipIf(!HAS_CHROMIUM)('files in and out (fake bridge, real browser server)', () => {
  let browser: Browser;
  let bridge: FakeBridge | undefined;

  beforeAll(async () => {
    ensureRendererBuilt();
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    bridge = await startFakeBridge({ scenario: 'demo', historyBars: 300, importMs: 5_000 });
  }, 180_000);

  afterAll(async () => {
    await bridge?.close();
    await browser?.close();
  });

  it('a dropped file is uploaded, inspected, imported with progress and opened', async () => {
    if (!bridge) throw new Error('bridge not started');
    const { page, errors } = await openApp(browser, bridge.url);
    const startUrl = page.url();

    const dropped = await dropFiles(page, [fixture(AGG)]);
    expect(dropped).toEqual({ dragoverCancelled: true, dropCancelled: true, overlayShown: true });
    const sheet = page.getByTestId('import-sheet');
    const row = sheet.getByTestId('import-file');
    await row.waitFor();
    expect(page.url()).toBe(startUrl); // the drop did not navigate
    expect(await page.getByTestId('drop-overlay').count()).toBe(0);
    expect(await row.getAttribute('data-format')).toBe('aggTrades');
    expect(await row.innerText()).toContain('BTCUSDT');
    expect(await page.getByTestId('import-name').inputValue()).toBe('BTCUSDT-aggTrades-2024-07-18');
    // The bytes reached the server as they are.
    const registered = bridge.files.requests.find((r) => r.channel === 'files.inspect');
    expect(registered).toBeDefined();
    await page.getByTestId('import-name').fill('BTC day');
    await sheet.screenshot({ path: join(SHOTS, 'import-sheet.png') });

    await page.getByTestId('import-start').click();
    const transfer = page.getByTestId('transfer').first();
    await transfer.waitFor();
    await waitUntil(
      'a running import past 0 %',
      () => page.getByTestId('transfer-percent').first().innerText(),
      (t) => /^[1-9]\d? %$/.test(t),
      10_000,
    );
    expect(await transfer.getAttribute('data-kind')).toBe('import');
    expect(await transfer.innerText()).toMatch(/lines\/s/);
    expect(await transfer.innerText()).toMatch(/ETA /);
    await page
      .getByTestId('transfer-panel')
      // The fake bridge paces its import slowly (a test artifact; the docs show a real replay).
      .screenshot({ path: join(ARTIFACTS, 'import-progress-fake.png') });

    const result = page.getByTestId('import-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.getAttribute('data-state')).toBe('done');
    expect(await page.getByTestId('import-result-ticks').innerText()).toBe('40');
    expect(await page.getByTestId('import-result-rejects').innerText()).toBe('0');
    expect(await transfer.getAttribute('data-state')).toBe('done');

    // The new dataset is opened: the session's source is it.
    const created = bridge.files.datasets.find((d) => d.label === 'BTC day');
    expect(created).toBeDefined();
    const open = bridge.files.requests.find((r) => r.channel === 'datasets.open');
    expect(open?.request).toEqual({ id: created!.id });
    await page.keyboard.press('d');
    const viewed = page.locator(`[data-testid="dataset-row"][data-dataset-id="${created!.id}"]`);
    await viewed.waitFor();
    expect(await viewed.getAttribute('class')).toContain('viewing');
    expect(await viewed.getByTestId('dataset-delete').isDisabled()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('bad lines are listed with file:line and the full report downloads; unknown files say why', async () => {
    if (!bridge) throw new Error('bridge not started');
    const { page } = await openApp(browser, bridge.url);

    await dropFiles(page, [fixture(BAD), { name: 'notes.txt', text: 'hello\nworld\n' }]);
    const rows = page.getByTestId('import-file');
    await waitUntil(
      'two inspected files',
      () => rows.count(),
      (n) => n === 2,
      10_000,
    );
    const unknown = page.locator('[data-testid="import-file"][data-format="unknown"]');
    expect(await unknown.innerText()).toMatch(/Not recognised — left out/);
    expect(await unknown.getByTestId('import-reason').innerText()).toMatch(/aggTrades/);
    // The name does not say the symbol ("bad-…"): it is asked for, checked, then Import is on.
    expect(await page.getByTestId('import-blocker').innerText()).toBe(
      'Type the missing symbols first',
    );
    const symbol = page.getByTestId('import-symbol');
    await symbol.fill('btc/usdt');
    expect(await page.getByTestId('import-start').isDisabled()).toBe(true);
    await symbol.fill('btcusdt');
    await page.getByTestId('import-start').click();

    const result = page.getByTestId('import-result');
    await result.waitFor({ timeout: 15_000 });
    const rejected = Number(await page.getByTestId('import-result-rejects').innerText());
    expect(rejected).toBeGreaterThan(0);
    await result.locator('summary').click();
    const first = page.getByTestId('reject-line').first();
    expect(await first.innerText()).toMatch(new RegExp(`^${BAD}:\\d+`));
    // Only the recognised file was imported.
    const importRequest = bridge.files.requests.filter((r) => r.channel === 'files.import').at(-1);
    const sent = importRequest?.request as { fileIds: string[]; symbols: Record<string, string> };
    expect(sent.fileIds).toHaveLength(1);
    expect(sent.symbols).toEqual({ [sent.fileIds[0]]: 'BTCUSDT' });

    const report = await download(page, () => page.getByTestId('export-rejects').click());
    expect(report.text).toBe(bridge.files.exported.at(-1)?.text);
    expect(report.text.trim().split('\n')).toHaveLength(rejected + 1);
    expect(await page.getByTestId('export-message').innerText()).toContain(
      `Downloaded ${rejected} rows as ${report.name}`,
    );
    await page.close();
  }, 120_000);

  it('Cancel stops an import (no dataset); Replay runs with pause, speed and restart', async () => {
    if (!bridge) throw new Error('bridge not started');
    const { page } = await openApp(browser, bridge.url);
    const datasetsBefore = bridge.files.datasets.length;

    await dropFiles(page, [fixture(AGG)]);
    await page.getByTestId('import-file').waitFor();
    await page.getByTestId('import-start').click();
    const running = page.locator('[data-testid="transfer"][data-state="running"]');
    await running.getByTestId('transfer-cancel').click();
    const result = page.getByTestId('import-result');
    await result.waitFor({ timeout: 10_000 });
    expect(await result.getAttribute('data-state')).toBe('cancelled');
    expect(await page.getByTestId('import-result-message').innerText()).toMatch(/cancelled/);
    expect(bridge.files.datasets).toHaveLength(datasetsBefore);

    // The same file, replayed at 50×: the replay's row has the controls.
    await dropFiles(page, [fixture(AGG)]);
    await page.getByTestId('import-file').waitFor();
    await page.getByTestId('import-speed').selectOption('50');
    await page.getByTestId('import-replay').click();
    const replay = page.locator('[data-testid="transfer"][data-kind="replay"]');
    await replay.waitFor();
    const sent = bridge.files.requests.filter((r) => r.channel === 'files.replay').at(-1);
    expect((sent?.request as { speed: number }).speed).toBe(50);
    expect(await replay.getByTestId('replay-speed').inputValue()).toBe('50');
    await replay.getByTestId('replay-pause').click();
    await waitUntil(
      'paused',
      () => replay.getAttribute('data-state'),
      (s) => s === 'paused',
      5_000,
    );
    expect(await replay.getByTestId('replay-pause').innerText()).toBe('Resume');
    await replay.getByTestId('replay-pause').click();
    await replay.getByTestId('replay-speed').selectOption('1000');
    await replay.getByTestId('replay-restart').click();
    await waitUntil(
      'four replay controls on the server',
      () => bridge!.files.requests.filter((r) => r.channel === 'replay.control').length,
      (n) => n === 4,
      5_000,
    );
    expect(
      bridge.files.requests.filter((r) => r.channel === 'replay.control').map((r) => r.request),
    ).toEqual([
      { action: 'pause' },
      { action: 'resume' },
      { action: 'speed', speed: 1000 },
      { action: 'restart' },
    ]);
    await page.close();
  }, 120_000);

  it('exports the bars of the view as a browser download', async () => {
    if (!bridge) throw new Error('bridge not started');
    const { page } = await openApp(browser, bridge.url);
    await page.keyboard.press('d');
    await page.getByTestId('export-range').selectOption('whole');
    const csv = await download(page, () => page.getByTestId('export-view-bars').click());
    const written = bridge.files.exported.at(-1)!;
    expect(csv).toEqual({ name: written.fileName, text: written.text });
    expect(csv.text.split('\n')[0]).toBe('symbol,start_ms,open,high,low,close,volume');
    await page.close();
  }, 120_000);
});
