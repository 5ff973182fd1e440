/**
 * Files in and out (#10) through the Electron adapter with the fake `electron`: `files.open`
 * shows `dialog.showOpenDialog` over the app window (several files) and registers the chosen
 * real files in a real FilesService (real SQLite, real ReplayCatalog); an export asks the save
 * dialog with its default CSV name and writes there; a file dropped on the window cannot
 * navigate it away.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReplayCatalog } from '../../../src/main/app/replayFiles';
import { hardenWebContents, guardAllWebContents } from '../../../src/main/electron/security';
import { FilesService, OPEN_FILE_FILTERS } from '../../../src/main/files/filesService';
import type { Platform } from '../../../src/main/platform/interfaces';
import { PairDeskStore } from '../../../src/main/store/store';
import { FakeApp, FakeBrowserWindow, FakeWebContents } from './fakeElectron';
import { installFakeElectron } from './electronMock';

vi.mock('electron', async () => (await import('./electronMock')).electronModule);

const dirs: string[] = [];
const stores: PairDeskStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function setup() {
  const fake = installFakeElectron();
  const { createElectronPlatform } = await import('../../../src/main/electron/platform');
  const dir = mkdtempSync(join(tmpdir(), 'pairdesk-files-electron-'));
  dirs.push(dir);
  const store = PairDeskStore.open(join(dir, 'pairdesk.db'));
  stores.push(store);
  // The window main.ts creates; the getter is the one it passes to the platform.
  let window: FakeBrowserWindow | null = new FakeBrowserWindow({});
  const platform: Platform = createElectronPlatform(() => window as never);
  const catalog = new ReplayCatalog([]);
  const files = new FilesService({
    store,
    dataDir: join(dir, 'data'),
    catalog,
    platform,
    emit: () => undefined,
    activeDatasetIds: () => [],
    viewedDatasetId: () => 0,
  });
  return {
    fake,
    dir,
    files,
    catalog,
    platform,
    window: () => window,
    closeWindow: () => {
      window = null;
    },
  };
}

describe('files.open with the native dialog', () => {
  it('shows showOpenDialog over the window, several files at once, and registers the choice', async () => {
    const { fake, dir, files, catalog, window } = await setup();
    const a = join(dir, 'BTCUSDT-aggTrades-2024-07-18.zip');
    const b = join(dir, 'ETHUSDT-aggTrades-2024-07-18.zip');
    writeFileSync(a, 'PK-a');
    writeFileSync(b, 'PK-bb');
    fake.dialogs.openAnswer = [a, b];
    const picked = await files.handle('files.open', { purpose: 'import' });
    expect(fake.dialogs.openCalls).toHaveLength(1);
    const call = fake.dialogs.openCalls[0]!;
    expect(call.window).toBe(window());
    expect(call.options).toEqual({
      title: 'Import files',
      filters: OPEN_FILE_FILTERS,
      properties: ['openFile', 'multiSelections'],
    });
    expect(picked).toEqual([
      { id: ReplayCatalog.idOf(a), name: 'BTCUSDT-aggTrades-2024-07-18.zip', sizeBytes: 4 },
      { id: ReplayCatalog.idOf(b), name: 'ETHUSDT-aggTrades-2024-07-18.zip', sizeBytes: 5 },
    ]);
    expect(catalog.resolveId(picked[1]!.id)).toBe(b);
  });

  it('answers [] and registers nothing when the user cancels', async () => {
    const { fake, files, catalog } = await setup();
    fake.dialogs.openAnswer = null;
    await expect(files.handle('files.open', { purpose: 'replay' })).resolves.toEqual([]);
    expect(fake.dialogs.openCalls[0]?.options['title']).toBe('Replay files');
    expect(catalog.list()).toEqual([]);
  });

  it('opens an unparented dialog when the window is gone', async () => {
    const { fake, dir, files, closeWindow } = await setup();
    const a = join(dir, 'x.csv');
    writeFileSync(a, '1');
    closeWindow();
    fake.dialogs.openAnswer = [a];
    await expect(files.handle('files.open', { purpose: 'import' })).resolves.toHaveLength(1);
    expect(fake.dialogs.openCalls[0]?.window).toBeNull();
  });
});

describe('export.csv with the native save dialog', () => {
  it('asks where to save with the default CSV name over the window, then writes the file there', async () => {
    const { fake, dir, files, window } = await setup();
    // A real import gives the dataset to export: 3 minutes of BTCUSDT trades.
    const csv = join(dir, 'BTCUSDT-aggTrades-2024-07-18.csv');
    const t0 = Date.UTC(2024, 6, 18, 23, 57, 0);
    const rows = [
      'agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker',
    ];
    for (let i = 0; i < 180; i++)
      rows.push(`${i + 1},64000.5,0.010,${i},${i},${t0 + i * 1000},true`);
    writeFileSync(csv, rows.join('\n') + '\n');
    const picked = files.registerPath(csv);
    const imported = await files.handle('files.import', { fileIds: [picked.id] });
    expect(imported.state).toBe('done');

    const target = join(dir, 'chosen.csv');
    fake.dialogs.saveAnswer = target;
    const request = {
      what: 'bars' as const,
      datasetId: imported.datasetId!,
      symbols: ['BTCUSDT'],
      timeframe: '1m' as const,
    };
    const result = await files.handle('export.csv', request);
    const defaultName = 'BTCUSDT-1m-bars-20240718T2357Z-20240718T2359Z.csv';
    expect(fake.dialogs.saveCalls).toHaveLength(1);
    expect(fake.dialogs.saveCalls[0]!.window).toBe(window());
    expect(fake.dialogs.saveCalls[0]!.options).toMatchObject({
      defaultPath: defaultName,
      filters: [{ name: 'CSV', extensions: ['csv'] }],
    });
    expect(result).toMatchObject({
      fileName: defaultName,
      savedTo: target,
      downloadUrl: null,
      rows: 3,
      cancelled: false,
    });
    const written = readFileSync(target, 'utf8').trim().split('\n');
    expect(written).toHaveLength(4);
    expect(written[0]).toMatch(/^symbol,start_ms,open,high,low,close/);

    // Cancelled dialog: nothing written, the result says so.
    fake.dialogs.saveAnswer = null;
    await expect(files.handle('export.csv', request)).resolves.toMatchObject({
      savedTo: null,
      cancelled: true,
    });
    expect(fake.dialogs.saveCalls).toHaveLength(2);
  });
});

describe('save dialog', () => {
  it('is asked over the window with the default CSV name; cancel gives null', async () => {
    const { fake, platform, window } = await setup();
    const name = 'BTCUSDT-ETHUSDT-1m-analytics-20240718T2357Z-20240719T0005Z.csv';
    const filters = [{ name: 'CSV', extensions: ['csv'] }];
    await expect(platform.saveDialog.askSavePath(name, filters)).resolves.toBeNull();
    fake.dialogs.saveAnswer = '/home/u/out.csv';
    await expect(platform.saveDialog.askSavePath(name, filters)).resolves.toBe('/home/u/out.csv');
    expect(fake.dialogs.saveCalls).toHaveLength(2);
    expect(fake.dialogs.saveCalls[0]!.window).toBe(window());
    expect(fake.dialogs.saveCalls[0]!.options).toMatchObject({ defaultPath: name, filters });
  });
});

describe('a file dropped on the window', () => {
  const APP_URL = 'app://renderer/index.html';
  const dropped = pathToFileURL('/home/u/Downloads/BTCUSDT-aggTrades-2024-07-18.zip').href;

  it('cannot navigate the page to its file:// URL (the guard behind the page’s drop handler)', () => {
    const contents = new FakeWebContents();
    const log: string[] = [];
    hardenWebContents(
      contents,
      () => APP_URL,
      (m) => log.push(m),
    );
    expect(contents.navigate(dropped)).toBe(false);
    expect(contents.navigate(dropped, 'will-redirect')).toBe(false);
    expect(contents.navigate('file:///opt/pairdesk/out/renderer/index.html')).toBe(false);
    expect(contents.navigate(APP_URL)).toBe(true);
    expect(log).toContain(`security: blocked navigation to ${dropped}`);
  });

  it('is guarded in every web contents the app creates, as main.ts installs it', () => {
    const app = new FakeApp('/tmp/u', '/tmp/a');
    guardAllWebContents(app, () => APP_URL);
    const window = new FakeBrowserWindow({});
    app.emit('web-contents-created', {}, window.webContents);
    expect(window.webContents.navigate(dropped)).toBe(false);
  });
});
