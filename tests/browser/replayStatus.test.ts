/**
 * Issues #8 §3 and #13 in Chromium against `pairdesk serve`, replaying the real capture:
 *  - the status line names the replay and its speed while it plays, then says it ended with the
 *    file and the trades the services counted — never "Live", never "stopped by client";
 *  - the replay picker offers files by opaque id: no path reaches the page;
 *  - the z-score axis of the Analytics tab, photographed at several window heights;
 *  - a stored replay file that cannot be opened: the app starts on the simulated market and a
 *    banner says why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt } from '../../src/main/bridge/rendererBuild';
import { PairDeskStore } from '../../src/main/store/store';
import { UM_2024_07_18 } from '../support/realData';
import {
  ARTIFACTS,
  CHROMIUM,
  HAS_CHROMIUM,
  launchChromium,
  newPage,
  startServe,
  waitUntil,
  type ServeProcess,
} from './support';

if (!HAS_CHROMIUM) {
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
}

const FILE = basename(UM_2024_07_18);

describe.skipIf(!HAS_CHROMIUM)('replay status and replay files in Chromium', () => {
  let dir: string;
  let browser: Browser;
  let serve: ServeProcess | undefined;
  const db = (): string => join(dir, 'replay.db');

  beforeAll(async () => {
    ensureRendererBuilt();
    dir = mkdtempSync(join(tmpdir(), 'pairdesk-replay-status-'));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await serve?.stop();
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('says what plays, then that it ended with the trades replayed; picks files by id', async () => {
    // ×30: the 7.5 minutes of the capture in about 15 s.
    serve = await startServe([
      '--source',
      'replay',
      '--file',
      UM_2024_07_18,
      '--speed',
      '30',
      '--db',
      db(),
    ]);
    const page = await newPage(browser);
    await page.goto(serve.url);
    await page.waitForFunction(() => window.__pairdeskDebug !== undefined);
    const status = page.getByTestId('status-connection').first();
    const playing = await waitUntil(
      'replay playing',
      () => status.innerText(),
      (t) => /^Replay .* at 30×: playing/.test(t),
      20_000,
    );
    expect(playing).not.toMatch(/live/i);
    expect(await status.getAttribute('title')).toContain(FILE);

    // The picker: options carry ids, never paths; the current file is selected.
    await page.getByTestId('source-replay').click();
    const picker = page.getByLabel('Capture file');
    await picker.waitFor();
    const options = await picker
      .locator('option')
      .evaluateAll((els) =>
        els.map((e) => ({ value: e.getAttribute('value') ?? '', text: e.textContent ?? '' })),
      );
    const offered = options.filter((o) => o.value !== '');
    expect(offered.length).toBeGreaterThanOrEqual(1);
    for (const o of offered) {
      expect(o.value).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(o.value).not.toContain('/');
    }
    expect(offered.some((o) => o.text.startsWith(FILE))).toBe(true);
    const selected = await picker.inputValue();
    expect(offered.find((o) => o.value === selected)?.text.startsWith(FILE)).toBe(true);

    // The Analytics tab while data flows: 1s bars, W = 30.
    await page.getByTestId('timeframe-1s').click();
    await page.getByTestId('input-rolling-window').fill('30');
    await page.getByTestId('input-rolling-window').press('Enter');

    const ended = await waitUntil(
      'replay ended',
      () => status.innerText(),
      (t) => t.startsWith('Replay ended'),
      60_000,
    );
    expect(ended).toMatch(/^Replay ended: .+, 24,356 trades replayed$/);
    expect(ended).not.toMatch(/stopped by client/);
    expect(await status.getAttribute('title')).toContain(`${FILE}, 24,356 trades replayed`);
    await page.screenshot({ path: join(ARTIFACTS, 'replay-ended.png') });

    await page.getByTestId('tab-analytics').click();
    await page.getByTestId('analytics-chart-zscore').waitFor();
    await waitUntil(
      'z-scores',
      () => page.evaluate(() => window.__pairdeskDebug?.analyticsRowCount() ?? 0),
      (n) => n > 100,
      20_000,
    );
    // The z-score axis at several heights (the panel height follows the window's).
    for (const height of [440, 560, 720, 900, 1300]) {
      await page.setViewportSize({ width: 1440, height });
      await page.waitForTimeout(600);
      await page
        .getByTestId('analytics-chart-zscore')
        .screenshot({ path: join(ARTIFACTS, `zscore-axis-${height}.png`) });
    }
    await page.close();
  }, 120_000);

  it('a stored replay file that cannot be opened: simulated market and a banner', async () => {
    await serve?.stop();
    serve = undefined;
    const store = PairDeskStore.open(db());
    try {
      store.setSetting('settings', { source: 'replay', replayFile: '/dev/zero', replaySpeed: 10 });
    } finally {
      store.close();
    }
    serve = await startServe(['--db', db(), '--demo-rate', '50']);
    expect(serve.output()).not.toMatch(/RangeError|Invalid string length/);
    const page = await newPage(browser);
    await page.goto(serve.url);
    const banner = page.getByTestId('source-notice');
    await banner.waitFor();
    expect(await banner.innerText()).toMatch(
      /stored replay file could not be opened \(the replay file does not exist or is not a regular file\)/,
    );
    expect(await banner.innerText()).not.toContain('/dev/zero');
    await waitUntil(
      'simulated market streaming',
      () => page.getByTestId('status-connection').first().innerText(),
      (t) => t === 'Simulated market: streaming',
      20_000,
    );
    await page.getByTestId('source-badge-simulated').first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'replay-stored-fallback.png') });
    await page.close();
  }, 90_000);
});
