/**
 * Dev harness: starts the fake bridge, opens the built renderer (out/renderer) in headless
 * Chromium and saves screenshots of the main states to a directory (default /tmp/pairdesk-shots).
 *
 *   npx electron-vite build && npx tsx tests/renderer/harness/screenshot.ts [outDir]
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { startFakeBridge } from './fakeBridgeServer';
import type { Scenario } from './fakeBridgeServer';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

const outDir = process.argv[2] ?? '/tmp/pairdesk-shots';
const only = process.argv[3];

async function withPage(
  scenario: Scenario,
  run: (page: Page, errors: string[]) => Promise<void>,
): Promise<void> {
  const bridge = await startFakeBridge({ scenario });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const errors: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto(bridge.url);
    await run(page, errors);
  } finally {
    if (errors.length > 0) console.log(`[${scenario}] console:\n  ${errors.join('\n  ')}`);
    await browser.close();
    await bridge.close();
  }
}

async function shot(page: Page, name: string): Promise<void> {
  const path = join(outDir, `${name}.png`);
  await page.screenshot({ path });
  console.log(`saved ${path}`);
}

await mkdir(outDir, { recursive: true });

const scenarios: Record<string, () => Promise<void>> = {
  demo: () =>
    withPage('demo', async (page) => {
      await page.getByTestId('chart-candles-BTCUSDT').waitFor();
      await page.waitForTimeout(2500);
      await shot(page, 'prices-dark-simulated');
      const info = await page.evaluate(() => ({
        bars: window.__pairdeskDebug?.barCount('BTCUSDT', '1m'),
        points: window.__pairdeskDebug?.chartPointCount('BTCUSDT'),
        overlay: window.__pairdeskDebug?.chartPointCount('overlay'),
        last: window.__pairdeskDebug?.lastBar('BTCUSDT', '1m'),
      }));
      console.log('debug', JSON.stringify(info));
      await page.keyboard.press('t');
      await page.waitForTimeout(1200);
      await shot(page, 'prices-light-simulated');
      await page.keyboard.press('1');
      await page.waitForTimeout(3000);
      await shot(page, 'prices-light-1s');
      await page.keyboard.press('?');
      await page.waitForTimeout(300);
      await shot(page, 'help-overlay');
      await page.keyboard.press('Escape');
      await page.keyboard.press('a');
      await page.waitForTimeout(500);
      await shot(page, 'analytics-light');
      await page.keyboard.press('p');
      await page.getByTestId('status-rejects').click();
      await page.getByTestId('symbol-input').fill('eth usdt');
      await page.getByTestId('symbol-add').click();
      await page.waitForTimeout(500);
      await shot(page, 'sidebar-validation-rejects');
      await page.getByTestId('status-rejects').click();
      await page.keyboard.press('t');
      await page.keyboard.press('2');
      await page.waitForTimeout(800);
      // Hover a candle: crosshair tooltip.
      const box = await page.getByTestId('chart-candles-BTCUSDT').boundingBox();
      if (box) await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.4);
      await page.waitForTimeout(500);
      await shot(page, 'prices-dark-tooltip');
    }),
  live: () =>
    withPage('live', async (page) => {
      await page.getByTestId('chart-candles-BTCUSDT').waitFor();
      await page.waitForTimeout(2500);
      await shot(page, 'prices-dark-live');
    }),
  failing: () =>
    withPage('failing', async (page) => {
      await page.getByTestId('live-error-banner').waitFor();
      await page.waitForTimeout(1500);
      await shot(page, 'live-failing-banner');
      await page.getByRole('button', { name: 'Use simulated market' }).click();
      await page.waitForTimeout(2000);
      await shot(page, 'after-use-simulated');
    }),
  empty: () =>
    withPage('empty', async (page) => {
      await page.getByTestId('warmup-message').first().waitFor();
      await page.waitForTimeout(300);
      await shot(page, 'warmup-empty');
    }),
};

for (const [name, run] of Object.entries(scenarios)) {
  if (only && only !== name) continue;
  await run();
}
