/**
 * Files in and out (issue #10) in Debian's Chromium against the REAL `pairdesk serve` (browser
 * mode, simulated market, a fresh SQLite file): a 100,000-line aggTrades CSV (built in the page
 * from the committed fixture's shape) dropped on the window is uploaded, inspected, imported
 * with progress seen between 0 and 100 %, and ends with the new dataset opened — the server's
 * session says so; its ticks export downloads in the browser and equals the CSV the server
 * writes for the same request; the dataset manager renames it and deletes the stopped
 * simulated dataset after confirmation. A replay of a dropped file is paused, resumed and sped up
 * from the transfer panel, as the server's session confirms.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt } from '../../src/main/bridge/rendererBuild';
import { REPO_ROOT } from '../support/realData';
import {
  ARTIFACTS,
  bridgeInvoke,
  CHROMIUM,
  dropFiles,
  HAS_CHROMIUM,
  launchChromium,
  openApp,
  startServe,
  waitUntil,
  type ServeProcess,
} from './support';

if (!HAS_CHROMIUM) {
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
}

const SHOTS =
  process.env.PAIRDESK_DOCS_SHOTS === '1' ? join(REPO_ROOT, 'docs', 'screenshots') : ARTIFACTS;
const LINES = 100_000;
const NAME = 'BTCUSDT-aggTrades-2024-07-18.csv';
const HEADER = readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'formats', NAME), 'utf8').split(
  '\n',
)[0];

/** GET a same-origin download as the page would (session cookie). */
function fetchDownload(serve: ServeProcess, path: string): Promise<string> {
  const token = new URL(serve.url).searchParams.get('token') ?? '';
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: serve.port,
        path,
        headers: {
          cookie: `pairdesk_token=${token}`,
          'sec-fetch-site': 'same-origin',
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(text) : reject(new Error(`${res.statusCode}: ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Records every percentage the transfer panel shows (a MutationObserver in the page). */
async function recordPercents(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __percents: string[] }).__percents = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-testid="transfer-percent"]')) {
        const text = el.textContent ?? '';
        if (seen.at(-1) !== text) seen.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { __percents: string[] }).__percents);
}

describe.skipIf(!HAS_CHROMIUM)('files in and out against pairdesk serve', () => {
  let browser: Browser;
  let serve: ServeProcess | undefined;
  let dir: string;

  beforeAll(async () => {
    ensureRendererBuilt();
    dir = mkdtempSync(join(tmpdir(), 'pairdesk-files-e2e-'));
    browser = await launchChromium();
    serve = await startServe([
      '--source',
      'demo',
      '--db',
      join(dir, 'pairdesk.db'),
      '--demo-rate',
      '20',
    ]);
  }, 180_000);

  afterAll(async () => {
    await serve?.stop();
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('drop → import with progress → dataset opened → ticks export downloaded → rename, delete', async () => {
    if (!serve) throw new Error('serve not started');
    const { page, errors } = await openApp(browser, serve.url);
    const before = await bridgeInvoke(serve, 'datasets.list', null);
    const demo = before.find((d) => d.origin === 'demo');
    expect(demo).toBeDefined();

    // The file is made in the page (100 k lines would be slow to send through the devtools).
    const dropped = await page.evaluate(
      ({ header, name, lines }) => {
        const rows = [header];
        const t0 = 1_721_347_022_956;
        for (let i = 0; i < lines; i++) {
          const id = 5_182_005_737 + i;
          const price = (63_943.9 + (i % 100) / 10).toFixed(2);
          rows.push(`${id},${price},0.003,${id},${id},${t0 + i * 10},${i % 2 === 0}`);
        }
        const transfer = new DataTransfer();
        transfer.items.add(new File([rows.join('\n') + '\n'], name, { type: 'text/csv' }));
        const init = { dataTransfer: transfer, bubbles: true, cancelable: true };
        document.body.dispatchEvent(new DragEvent('dragenter', init));
        document.body.dispatchEvent(new DragEvent('dragover', init));
        const drop = new DragEvent('drop', init);
        document.body.dispatchEvent(drop);
        return drop.defaultPrevented;
      },
      { header: HEADER, name: NAME, lines: LINES },
    );
    expect(dropped).toBe(true);
    const row = page.getByTestId('import-file');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.getAttribute('data-format')).toBe('aggTrades');
    expect(await row.innerText()).toContain('BTCUSDT');

    const percents = await recordPercents(page);
    await page.getByTestId('import-start').click();
    const result = page.getByTestId('import-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.getAttribute('data-state')).toBe('done');
    expect(await page.getByTestId('import-result-ticks').innerText()).toBe('100,000');
    const seen = await percents();
    expect(seen.at(-1)).toBe('100 %');
    // Progress was shown on the way (the server sends up to 5 events a second; seen in a run:
    // 0 → 15 → 31 → 46 → 62 → 77 → 93 → 100 %).
    expect(seen.some((p) => /^[1-9]\d? %$/.test(p))).toBe(true);

    // The new dataset is the one viewed, on the server too.
    const after = await bridgeInvoke(serve, 'datasets.list', null);
    const created = after.find((d) => d.origin === 'import');
    expect(created?.ticks).toBe(LINES);
    await waitUntil(
      'the imported dataset opened',
      async () => (await bridgeInvoke(serve!, 'session.snapshot', null)).source,
      (s) => s.datasetId === created!.id && s.stored === true,
      10_000,
    );

    // Data tab: the ticks export downloads; it equals the CSV the server writes for it.
    await page.keyboard.press('d');
    const line = page.locator(`[data-testid="dataset-row"][data-dataset-id="${created!.id}"]`);
    await line.waitFor();
    expect(await line.getAttribute('class')).toContain('viewing');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      line.getByTestId('dataset-export-ticks').click(),
    ]);
    const text = readFileSync(await download.path(), 'utf8');
    const again = await bridgeInvoke(serve, 'export.csv', {
      what: 'ticks',
      datasetId: created!.id,
    });
    expect(again.downloadUrl).not.toBeNull();
    expect(text).toBe(await fetchDownload(serve, again.downloadUrl!));
    expect(text.trimEnd().split('\n')).toHaveLength(LINES + 1);
    expect(download.suggestedFilename()).toBe(again.fileName);
    expect(await page.getByTestId('export-message').innerText()).toContain(
      `Downloaded 100,000 rows as ${again.fileName}`,
    );

    // Rename on the server.
    await line.getByTestId('dataset-rename').click();
    await line.getByTestId('dataset-rename-input').fill('BTC 100k');
    await line.getByTestId('dataset-rename-input').press('Enter');
    await waitUntil(
      'renamed on the server',
      async () =>
        (await bridgeInvoke(serve!, 'datasets.list', null)).find((d) => d.id === created!.id)
          ?.label,
      (l) => l === 'BTC 100k',
      10_000,
    );
    // The Data tab over the server's own datasets (PAIRDESK_DOCS_SHOTS=1: the docs screenshot).
    await line.getByText('BTC 100k').waitFor();
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'dataset-manager.png') });

    // The simulated market's dataset is stopped now: delete it after the confirmation.
    const demoRow = page.locator(`[data-testid="dataset-row"][data-dataset-id="${demo!.id}"]`);
    await waitUntil(
      'the stopped demo dataset deletable',
      () => demoRow.getByTestId('dataset-delete').isDisabled(),
      (disabled) => !disabled,
      10_000,
    );
    await demoRow.getByTestId('dataset-delete').click();
    expect(await page.getByTestId('delete-dialog-text').innerText()).toContain(
      `(dataset ${demo!.id},`,
    );
    await page.getByTestId('delete-confirm').click();
    await waitUntil(
      'deleted on the server',
      async () => (await bridgeInvoke(serve!, 'datasets.list', null)).map((d) => d.id),
      (ids) => !ids.includes(demo!.id),
      10_000,
    );
    await demoRow.waitFor({ state: 'detached', timeout: 5_000 });
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('replays a dropped file; the panel pauses, resumes and changes the speed on the server', async () => {
    if (!serve) throw new Error('serve not started');
    const { page } = await openApp(browser, serve.url);
    const fixture = readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'formats', NAME), 'utf8');
    await dropFiles(page, [{ name: NAME, text: fixture }]);
    await page.getByTestId('import-file').waitFor({ timeout: 30_000 });
    await page.getByTestId('import-speed').selectOption('1');
    await page.getByTestId('import-replay').click();
    const snapshot = () => bridgeInvoke(serve!, 'session.snapshot', null);
    await waitUntil(
      'the replay running at 1×',
      async () => (await snapshot()).source,
      (s) => s.kind === 'replay' && s.speed === 1 && s.stored !== true,
      15_000,
    );
    const replay = page.locator('[data-testid="transfer"][data-kind="replay"]');
    await replay.waitFor({ timeout: 15_000 });
    await replay.getByTestId('replay-pause').click();
    await waitUntil(
      'paused on the server',
      async () => (await snapshot()).source.paused,
      (p) => p === true,
      10_000,
    );
    expect(await replay.getByTestId('replay-pause').innerText()).toBe('Resume');
    await replay.getByTestId('replay-pause').click();
    await replay.getByTestId('replay-speed').selectOption('100');
    await waitUntil(
      'resumed at 100× on the server',
      async () => (await snapshot()).source,
      (s) => s.paused !== true && s.speed === 100,
      10_000,
    );
    // The panel of a replay running on the real server (PAIRDESK_DOCS_SHOTS=1: for the docs).
    await page
      .getByTestId('transfer-panel')
      .screenshot({ path: join(SHOTS, 'replay-progress.png') });
    await page.close();
  }, 120_000);
});
