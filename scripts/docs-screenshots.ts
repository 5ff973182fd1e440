/**
 * Regenerates the README screenshots: `npx tsx scripts/docs-screenshots.ts`.
 * Replays a real Binance capture through `pairdesk serve` (so the pictures show real market data,
 * not the simulator) and photographs the Prices and Analytics tabs in Debian's Chromium.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, newPage, startServe } from '../tests/browser/support';
import { REPO_ROOT, UM_2024_07_18 } from '../tests/support/realData';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pairdesk-docs-'));
  const out = join(REPO_ROOT, 'docs');
  mkdirSync(out, { recursive: true });
  const serve = await startServe([
    '--source',
    'replay',
    '--file',
    UM_2024_07_18,
    '--speed',
    '12',
    '--db',
    join(dir, 'docs.db'),
  ]);
  const browser = await launchChromium();
  try {
    const page = await newPage(browser);
    await page.goto(serve.url);
    await page.waitForFunction(() => window.__pairdeskDebug !== undefined);
    await page.getByTestId('timeframe-1s').click();
    await page.getByTestId('input-rolling-window').fill('30');
    await page.getByTestId('input-rolling-window').press('Enter');
    // 35 s at 12× is about 7 minutes of market, most of the capture.
    await page.waitForTimeout(35_000);
    await page.screenshot({ path: join(out, 'dashboard.png') });
    await page.getByTestId('tab-analytics').click();
    await page.getByTestId('stationarity-run').click();
    await page.waitForTimeout(3_000);
    await page.screenshot({ path: join(out, 'analytics.png') });
    console.log(`screenshots written to ${out}`);
  } finally {
    await browser.close();
    await serve.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
