/**
 * Dev harness: frame rate of the Prices tab under live updates at BARS bars of 1s history
 * (default 100 000), against the fake bridge in headless Chromium.
 *
 *   npx electron-vite build && BARS=100000 npx tsx tests/renderer/harness/benchFrames.ts
 */
import { chromium } from 'playwright-core';
import { startFakeBridge } from './fakeBridgeServer';
const bridge = await startFakeBridge({
  scenario: 'demo',
  historyBars: Number(process.env.BARS ?? 100_000),
  rate: 20,
});
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
page.on('console', (m) => console.log('page:', m.text()));
await page.goto(bridge.url);
await page.getByTestId('timeframe-1s').click();
await page.getByTestId('input-lookback').fill(String(process.env.BARS ?? 100_000));
await page.getByTestId('input-lookback').press('Enter');
await page.waitForFunction(
  (n) => window.__pairdeskDebug!.barCount('BTCUSDT', '1s') >= Number(n) - 1,
  String(process.env.BARS ?? 100_000),
  { timeout: 60_000 },
);
await page.waitForTimeout(6000);
const r = await page.evaluate(`new Promise((resolve) => {
  let frames = 0; let last = performance.now(); const gaps = []; const end = last + 5000;
  function loop(t) { frames++; gaps.push(t - last); last = t; if (t < end) requestAnimationFrame(loop); else { gaps.sort((a,b)=>b-a); resolve({ frames, worst: gaps.slice(0,5).map(Math.round) }); } }
  requestAnimationFrame(loop);
})`);
console.log(JSON.stringify(r));
await browser.close();
await bridge.close();
