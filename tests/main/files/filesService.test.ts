/**
 * FilesService's router (#10) over real parts: a real SQLite store, a real ReplayCatalog and real
 * files in a tmp folder. The open dialog is the Platform seam (Electron's adapter is tested with
 * the fake electron in tests/main/electron/filesDialogs.test.ts).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../src/core/contract/contract';
import type { TransferProgress } from '../../../src/core/contract/files';
import { ReplayCatalog } from '../../../src/main/app/replayFiles';
import {
  FilesService,
  NO_OPEN_DIALOG,
  OPEN_FILE_FILTERS,
  type FilesServiceOptions,
} from '../../../src/main/files/filesService';
import { JobTable, ProgressRelay } from '../../../src/main/files/jobs';
import type { FileFilter, Platform } from '../../../src/main/platform/interfaces';
import { PairDeskStore } from '../../../src/main/store/store';

const dirs: string[] = [];
const stores: PairDeskStore[] = [];

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pairdesk-files-'));
  dirs.push(dir);
  return dir;
}

interface DialogCall {
  title: string;
  filters: FileFilter[];
}

function setup(answer?: string[]) {
  const dir = tmp();
  const store = PairDeskStore.open(join(dir, 'pairdesk.db'));
  stores.push(store);
  const catalog = new ReplayCatalog([]);
  const events: EventEnvelope[] = [];
  const dialogCalls: DialogCall[] = [];
  const platform: Platform | undefined =
    answer === undefined
      ? undefined
      : {
          notifier: { notify: () => undefined },
          saveDialog: { askSavePath: async () => null },
          openDialog: {
            askOpenPaths: async (title, filters) => {
              dialogCalls.push({ title, filters });
              return answer;
            },
          },
        };
  const options: FilesServiceOptions = {
    store,
    dataDir: join(dir, 'data'),
    catalog,
    ...(platform ? { platform } : {}),
    emit: (event, payload) => events.push({ event, payload } as EventEnvelope),
    activeDatasetIds: () => [],
    viewedDatasetId: () => 0,
  };
  const files = new FilesService(options);
  return { dir, store, catalog, files, events, dialogCalls };
}

function writeFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('files.open', () => {
  it('asks the open dialog with the data-file filters and registers every chosen file', async () => {
    const { dir, catalog, files, dialogCalls } = setup([]);
    const a = writeFile(dir, 'BTCUSDT-aggTrades-2024-07-18.csv', 'a,b\n1,2\n');
    const b = writeFile(dir, 'ETHUSDT-aggTrades-2024-07-18.csv', 'abc');
    const withAnswer = setup([a, b]);
    const picked = await withAnswer.files.handle('files.open', { purpose: 'import' });
    expect(withAnswer.dialogCalls).toEqual([{ title: 'Import files', filters: OPEN_FILE_FILTERS }]);
    expect(picked.map((p) => [p.name, p.sizeBytes])).toEqual([
      ['BTCUSDT-aggTrades-2024-07-18.csv', 8],
      ['ETHUSDT-aggTrades-2024-07-18.csv', 3],
    ]);
    // The ids are the catalog's: files.replay / source.select accept them.
    expect(picked.map((p) => withAnswer.catalog.resolveId(p.id))).toEqual([a, b]);
    expect(OPEN_FILE_FILTERS.map((f) => f.extensions)).toContainEqual(['*']);
    // Cancelled dialog: nothing registered.
    await expect(files.handle('files.open', { purpose: 'replay' })).resolves.toEqual([]);
    expect(dialogCalls[0]?.title).toBe('Replay files');
    expect(catalog.list()).toEqual([]);
  });

  it('fails plainly where there is no native dialog (browser mode uploads instead)', async () => {
    const { files } = setup();
    await expect(files.handle('files.open', { purpose: 'import' })).rejects.toThrow(NO_OPEN_DIALOG);
  });
});

describe('files.register and registerPath', () => {
  it('accepts regular readable files, symlinks by their own name, and hands out stable ids', async () => {
    const { dir, files, catalog } = setup();
    const real = writeFile(dir, 'capture.ndjson', '{"e":"aggTrade"}\n');
    const link = join(dir, 'BTCUSDT-link.ndjson');
    symlinkSync(real, link);
    const [first, viaLink] = await files.handle('files.register', { paths: [real, link] });
    expect(first).toEqual({ id: ReplayCatalog.idOf(real), name: 'capture.ndjson', sizeBytes: 17 });
    // Same real file, same id; the name is the one the user chose.
    expect(viaLink).toEqual({ ...first, name: 'BTCUSDT-link.ndjson' });
    expect(files.registerPath(real)).toEqual(first);
    expect(catalog.list().map((f) => f.id)).toEqual([first!.id]);
  });

  it('refuses a folder, a missing file and an unreadable one, naming the file', async () => {
    const { dir, files, catalog } = setup();
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    await expect(files.handle('files.register', { paths: [folder] })).rejects.toThrow(
      `"${folder}" is not a regular file`,
    );
    const missing = join(dir, 'nope.csv');
    await expect(files.handle('files.register', { paths: [missing] })).rejects.toThrow(
      `"${missing}" does not exist`,
    );
    const locked = writeFile(dir, 'locked.csv', 'x');
    chmodSync(locked, 0o000);
    // root reads anything: the check is only meaningful for a normal user.
    if (process.getuid?.() !== 0) {
      expect(() => files.registerPath(locked)).toThrow(`"${locked}" cannot be read`);
    }
    expect(catalog.list().filter((f) => f.name !== 'locked.csv')).toEqual([]);
  });
});

describe('files.cancel and jobs', () => {
  it('cancels nothing when no job has that id', async () => {
    const { files } = setup();
    await expect(files.handle('files.cancel', { jobId: 'import-nope' })).resolves.toEqual({
      cancelled: false,
    });
  });

  it('a job table aborts a running job once, and forgets finished ones', () => {
    const jobs = new JobTable();
    const a = jobs.start('import');
    const b = jobs.start('export');
    expect(a.id).toMatch(/^import-[A-Za-z0-9_-]{12}$/);
    expect(b.id).toMatch(/^export-/);
    expect(a.id).not.toBe(b.id);
    expect(jobs.cancel(a.id)).toBe(true);
    expect(a.controller.signal.aborted).toBe(true);
    expect(jobs.cancel(a.id)).toBe(false);
    jobs.finish(b.id);
    expect(jobs.cancel(b.id)).toBe(false);
    expect(b.controller.signal.aborted).toBe(false);
    jobs.cancelAll();
    expect(jobs.size).toBe(1);
  });
});

describe('ProgressRelay', () => {
  const progress = (lines: number, state: TransferProgress['state'] = 'running') =>
    ({
      jobId: 'import-x',
      kind: 'import',
      label: 'a.csv',
      state,
      bytesDone: lines,
      bytesTotal: 100,
      lines,
      linesPerSec: 0,
      fraction: lines / 100,
      etaMs: null,
      datasetId: null,
      message: state === 'running' ? null : 'done',
    }) satisfies TransferProgress;

  it('sends at most one report per interval, the newest one, and always the last', async () => {
    let now = 1_000;
    const sent: number[] = [];
    const relay = new ProgressRelay(
      (p) => sent.push(p.lines),
      200,
      () => now,
    );
    relay.push(progress(1)); // first: at once
    now += 50;
    relay.push(progress(2));
    now += 50;
    relay.push(progress(3)); // supersedes 2
    expect(sent).toEqual([1]);
    now += 100; // the pending report's timer fires and is stamped at 1_200
    await new Promise((r) => setTimeout(r, 150));
    expect(sent).toEqual([1, 3]);
    relay.push(progress(4)); // pending, then superseded by the end
    relay.end(progress(5, 'done'));
    relay.push(progress(6));
    await new Promise((r) => setTimeout(r, 250));
    expect(sent).toEqual([1, 3, 5]);
    expect(relay.latest?.lines).toBe(5);
  });

  it('keeps 5 Hz over a burst of reports', async () => {
    const sent: number[] = [];
    const relay = new ProgressRelay((p) => sent.push(p.lines));
    const t0 = Date.now();
    let i = 0;
    while (Date.now() - t0 < 1_000) {
      relay.push(progress(++i));
      await new Promise((r) => setTimeout(r, 2));
    }
    relay.end(progress(i + 1, 'done'));
    // ~1 s of reports: the first at once, then one per 200 ms, plus the last.
    expect(sent.length).toBeGreaterThanOrEqual(4);
    expect(sent.length).toBeLessThanOrEqual(7);
    expect(sent.at(-1)).toBe(i + 1);
    expect(i).toBeGreaterThan(50);
  });
});

describe('file ids', () => {
  it('inspect and import refuse ids main never handed out, naming no path', async () => {
    const { files } = setup();
    await expect(files.handle('files.inspect', { fileIds: ['unknown-id'] })).rejects.toThrow(
      /not offered/,
    );
    await expect(files.handle('files.import', { fileIds: ['unknown-id'] })).rejects.toThrow(
      /not offered/,
    );
  });
});
