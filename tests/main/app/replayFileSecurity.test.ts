/**
 * Issue #13 findings 3 and 4 through the app's contract host, on real files, real SQLite and
 * the real replay source:
 *  3. the renderer (or a bridge client) cannot make main read a path of its choosing: no
 *     `replayFile` in settings.update, no path in source.select, only ids of files main offers;
 *     a symlink in a replay folder pointing outside is neither offered nor playable; errors name
 *     no path.
 *  4. a stored replay file that cannot be opened (an endless line, /dev/zero, a file gone, a
 *     path outside the folders) makes the app start on the simulated market with a notice,
 *     instead of crashing at every start.
 */
import {
  copyFileSync,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type {
  RequestChannel,
  RequestOf,
  SourceInfo,
  ReplayFile,
} from '../../../src/core/contract/contract';
import {
  startPairDeskApp,
  type PairDeskApp,
  type PairDeskAppOptions,
} from '../../../src/main/app/pairDeskApp';
import { ReplayCatalog } from '../../../src/main/app/replayFiles';
import { PairDeskStore } from '../../../src/main/store/store';
import { UM_2024_07_18 } from '../../support/realData';

const root = mkdtempSync(join(tmpdir(), 'pairdesk-replay-sec-'));
const captures = join(root, 'captures');
const outside = join(root, 'outside');
mkdirSync(captures);
mkdirSync(outside);

/** One trade-shaped line: the old code ingested such a file wherever it was. */
const TRADE_LINE =
  '{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1700000000000,"s":"BTCUSDT",' +
  '"a":1,"p":"100.00","q":"1.000","f":1,"l":1,"T":1700000000000,"m":false}}\n';
const SECRET = join(outside, 'secret.ndjson');
writeFileSync(SECRET, TRADE_LINE);
/** Stands in for /etc/passwd: a readable file outside every replay folder. */
const PASSWD = join(outside, 'passwd');
writeFileSync(PASSWD, 'root:x:0:0:root:/root:/bin/bash\n');
const GOOD = join(captures, 'um-2024-07-18.ndjson.gz');
copyFileSync(UM_2024_07_18, GOOD);
symlinkSync(SECRET, join(captures, 'evil.ndjson'));
symlinkSync(GOOD, join(captures, 'alias.ndjson.gz'));

let app: PairDeskApp | undefined;
let dbN = 0;

afterEach(async () => {
  await app?.stop();
  app = undefined;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function start(extra: Partial<PairDeskAppOptions>): Promise<PairDeskApp> {
  app = await startPairDeskApp({
    dbFile: join(root, `app-${++dbN}.db`),
    source: 'demo',
    demoRate: 20,
    replayDirs: [captures],
    ...extra,
  });
  return app;
}

/** A request as an untrusted client sends it: any JSON, no type check. */
function call(a: PairDeskApp, channel: RequestChannel, payload: unknown): Promise<unknown> {
  return a.host.handle(channel, payload as RequestOf<typeof channel>);
}

function expectNoPath(message: string): void {
  expect(message).not.toContain(root);
  expect(message).not.toContain('secret');
  expect(message).not.toContain('passwd');
}

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a rejection');
}

describe('replay files: only what main offers (finding 3)', () => {
  it('refuses a replay path in settings.update and never lists or stats it', async () => {
    const a = await start({});
    const message = await rejection(call(a, 'settings.update', { replayFile: PASSWD }));
    expect(message).toMatch(/Invalid request for "settings.update".*replayFile/);
    expectNoPath(message.replace(/replayFile/g, ''));
    expect(a.services.settings.replayFile).toBeNull();
    const files = (await call(a, 'replay.files', null)) as ReplayFile[];
    // Only the capture in the folder (its alias link is the same file, offered once).
    expect(files).toHaveLength(1);
    expect(files[0].sizeBytes).toBeGreaterThan(0);
    // No path crosses the contract: id, name, size only.
    for (const f of files) expect(Object.keys(f).sort()).toEqual(['id', 'name', 'sizeBytes']);
  });

  it('refuses a path in source.select, and the id of a file outside the folders', async () => {
    const a = await start({});
    const byPath = await rejection(call(a, 'source.select', { kind: 'replay', file: SECRET }));
    expect(byPath).toMatch(/Invalid request for "source.select"/);
    // Even knowing how ids are made, a file main did not offer cannot be chosen.
    for (const target of [SECRET, PASSWD]) {
      const id = ReplayCatalog.idOf(realpathSync(target));
      const message = await rejection(call(a, 'source.select', { kind: 'replay', fileId: id }));
      expect(message).toMatch(/not offered/);
      expectNoPath(message);
    }
    // The running source was not touched by the refused switches.
    expect(a.services.source.kind).toBe('demo');
    expect(a.services.source.state).toBe('running');
    expect(a.services.settings.replayFile).toBeNull();
  });

  it('does not offer a symlink that points outside, and re-checks the link when selected', async () => {
    const a = await start({});
    const files = (await call(a, 'replay.files', null)) as ReplayFile[];
    expect(files.some((f) => f.name === 'evil.ndjson')).toBe(false);
    // A link inside the folder to a file inside it is the same file: offered once.
    expect(files).toHaveLength(1);
    expect(files[0].id).toBe(ReplayCatalog.idOf(realpathSync(GOOD)));

    // A link offered a moment ago, re-pointed outside before it is selected: refused.
    const swap = join(captures, 'swap.ndjson');
    const inside = join(captures, 'inside.ndjson');
    writeFileSync(inside, TRADE_LINE);
    symlinkSync(inside, swap);
    try {
      const offered = ((await call(a, 'replay.files', null)) as ReplayFile[]).find(
        (f) => f.name === 'inside.ndjson' || f.name === 'swap.ndjson',
      );
      expect(offered).toBeDefined();
      rmSync(inside);
      rmSync(swap);
      symlinkSync(SECRET, swap);
      const message = await rejection(
        call(a, 'source.select', { kind: 'replay', fileId: offered?.id }),
      );
      expect(message).toMatch(/not offered/);
      expectNoPath(message);
      expect(a.services.source.kind).toBe('demo');
    } finally {
      rmSync(swap, { force: true });
      rmSync(inside, { force: true });
    }
  });

  it('plays an offered file by id to its end, with the trades it replayed', async () => {
    const a = await start({ replaySpeed: 2_000 });
    const [file] = (await call(a, 'replay.files', null)) as ReplayFile[];
    const info = (await call(a, 'source.select', {
      kind: 'replay',
      fileId: file.id,
    })) as SourceInfo;
    expect(info).toMatchObject({ kind: 'replay', state: 'running', fileId: file.id });
    expect(a.services.settings.replayFile).toBe(realpathSync(GOOD));
    const deadline = Date.now() + 30_000;
    while (a.services.source.state === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(a.services.source).toMatchObject({
      state: 'ended',
      fileName: 'um-2024-07-18.ndjson.gz',
      tradesReplayed: 10_701 + 13_655,
    });
  }, 60_000);

  it('offers a file the user opened through main (the dialog / drop seam), and only then', async () => {
    const a = await start({});
    const before = (await call(a, 'replay.files', null)) as ReplayFile[];
    expect(before.some((f) => f.name === 'secret.ndjson')).toBe(false);
    const opened = a.services.allowUserFile(SECRET);
    expect(opened.name).toBe('secret.ndjson');
    const after = (await call(a, 'replay.files', null)) as ReplayFile[];
    expect(after.map((f) => f.id)).toContain(opened.id);
    const info = (await call(a, 'source.select', {
      kind: 'replay',
      fileId: opened.id,
    })) as SourceInfo;
    expect(info.state).toBe('running');
    expect(info.fileName).toBe('secret.ndjson');
    // /dev/zero and folders are not regular files: refused without reading a byte.
    expect(() => a.services.allowUserFile('/dev/zero')).toThrow(/not a regular file/);
    expect(() => a.services.allowUserFile(outside)).toThrow(/not a regular file/);
  });
});

describe('a stored replay file that cannot be opened (finding 4)', () => {
  /** A database whose stored settings say: replay this file. */
  function storedReplay(replayFile: string): string {
    const dbFile = join(root, `stored-${++dbN}.db`);
    const store = PairDeskStore.open(dbFile);
    store.setSetting('settings', { source: 'replay', replayFile, replaySpeed: 50 });
    store.close();
    return dbFile;
  }

  async function startStored(replayFile: string): Promise<PairDeskApp> {
    app = await startPairDeskApp({
      dbFile: storedReplay(replayFile),
      demoRate: 20,
      replayDirs: [captures],
    });
    return app;
  }

  function expectDemoWithNotice(a: PairDeskApp, why: RegExp): void {
    const source = a.services.snapshot().source;
    expect(source.kind).toBe('demo');
    expect(source.state).toBe('running');
    expect(source.simulated).toBe(true);
    expect(source.notice).toMatch(/stored replay file could not be opened/);
    expect(source.notice).toMatch(why);
    expectNoPath(source.notice ?? '');
    // The fallback is stored: the next start is the simulated market, no retry loop.
    expect(a.services.settings.source).toBe('demo');
  }

  it('an endless line (a gzip bomb in the replay folder): simulated market and a notice', async () => {
    const bomb = join(captures, 'bomb.ndjson.gz');
    const block = Buffer.alloc(1 << 20, 0);
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < 48; i++) yield block; // 48 MiB, one line, never a newline
        })(),
      ),
      createGzip({ level: 1 }),
      createWriteStream(bomb),
    );
    try {
      const a = await startStored(bomb);
      expectDemoWithNotice(a, /no aggTrade or trade messages in its first 16 MiB/);
      // Selected later by id it fails as a source, and the app keeps running.
      const files = (await call(a, 'replay.files', null)) as ReplayFile[];
      const id = files.find((f) => f.name === 'bomb.ndjson.gz')?.id;
      const info = (await call(a, 'source.select', { kind: 'replay', fileId: id })) as SourceInfo;
      expect(info.state).toBe('failed');
      expect(info.error).toMatch(/longer than 1 MiB skipped/);
      const demo = (await call(a, 'source.select', { kind: 'demo' })) as SourceInfo;
      expect(demo.state).toBe('running');
      expect(demo.notice).toBeNull();
    } finally {
      rmSync(bomb, { force: true });
    }
  }, 60_000);

  it('/dev/zero stored: refused without reading it', async () => {
    const a = await startStored('/dev/zero');
    expectDemoWithNotice(a, /not a regular file/);
  });

  it('a path outside the replay folders (an old version let the renderer store it)', async () => {
    const a = await startStored(SECRET);
    expectDemoWithNotice(a, /neither in a replay folder nor opened by you/);
  });

  it('a stored file that is gone', async () => {
    const a = await startStored(join(captures, 'deleted.ndjson'));
    expectDemoWithNotice(a, /does not exist/);
  });

  it('a stored file that is still fine replays as before', async () => {
    const a = await startStored(GOOD);
    expect(a.services.source).toMatchObject({ kind: 'replay', notice: null });
    expect(a.services.source.state).not.toBe('failed');
  });
});
