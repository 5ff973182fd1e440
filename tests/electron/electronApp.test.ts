/**
 * The dashboard scenario inside the real Electron runtime, through Playwright's Electron
 * launcher. The Electron binary cannot be installed on offline machines (npm ci with
 * ELECTRON_SKIP_BINARY_DOWNLOAD=1): there the suite is skipped and says why; wherever the binary
 * exists it runs and must pass.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/realData';

/** The Electron executable, found the way scripts/start.mjs finds it (no download attempt). */
function electronBinary(): string | null {
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  const dir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(
    process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist'),
    readFileSync(pathFile, 'utf8').trim(),
  );
  return existsSync(binary) ? binary : null;
}

const BINARY = electronBinary();
if (!BINARY) {
  console.warn(
    'Electron tests skipped: the Electron runtime is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD or an offline install); the same scenario runs in Chromium in tests/browser.',
  );
}

describe.skipIf(!BINARY)('PairDesk desktop app in Electron', () => {
  let app: ElectronApplication;
  let dataDir: string;

  beforeAll(async () => {
    // The Electron-ABI better-sqlite3 and the bundles, exactly as `npm start` prepares them.
    const prepared = spawnSync(process.execPath, ['scripts/start.mjs', '--prepare'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(prepared.status, prepared.stderr).toBe(0);
    const { nativeBinding } = JSON.parse(prepared.stdout.trim().split('\n').pop() ?? '{}') as {
      nativeBinding: string;
    };
    dataDir = mkdtempSync(join(tmpdir(), 'pairdesk-electron-'));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
    app = await electron.launch({
      executablePath: BINARY ?? undefined,
      args: [REPO_ROOT, '--no-sandbox'],
      env: {
        ...env,
        PAIRDESK_SOURCE: 'demo',
        PAIRDESK_DATA_DIR: dataDir,
        PAIRDESK_NATIVE_BINDING: nativeBinding,
      },
    });
  }, 600_000);

  afterAll(async () => {
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens one hardened window that goes live and draws labelled candles', async () => {
    const page = await app.firstWindow();
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    // Isolation and sandbox seen from the page: no Node, and only the contract is exposed.
    const surface = await page.evaluate(() => ({
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      api: Object.keys((window as unknown as { pairdesk?: object }).pairdesk ?? {}).sort(),
    }));
    expect(surface).toEqual({ require: 'undefined', process: 'undefined', api: ['invoke', 'on'] });
    await page.getByTestId('status-connection').first().waitFor();
    await expect
      .poll(() => page.getByTestId('status-connection').first().innerText(), { timeout: 30_000 })
      .toMatch(/live/i);
    await page.getByTestId('source-badge-simulated').first().waitFor();
    await page.getByTestId('timeframe-1s').click();
    await page.getByTestId('chart-candles-BTCUSDT').waitFor();
    await expect
      .poll(() => page.evaluate(() => window.__pairdeskDebug?.barCount('BTCUSDT', '1s') ?? 0), {
        timeout: 30_000,
      })
      .toBeGreaterThan(2);
    const before = await page.evaluate(() => document.documentElement.dataset.theme);
    await page.getByTestId('theme-toggle').click();
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.theme))
      .not.toBe(before);
    await page.screenshot({ path: join(REPO_ROOT, 'test-results', 'electron-dashboard.png') });
  });
});
