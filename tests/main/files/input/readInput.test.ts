/**
 * readInput over real files: every line of every member equals the source's lines, for plain,
 * gzip and zip (deflate, stored, data descriptors, two members, a readme beside the CSV), with
 * both inflate engines; truncated archives give their intact prefix and say where they broke;
 * progress counts bytes on disk up to the file size; an abort cancels; damaged and empty files
 * do not crash.
 */
import { zipSync } from 'fflate';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES } from '../../../../src/main/analyze/lineReader';
import { readInput } from '../../../../src/main/files/input';
import { mulberry32 } from '../../../support/prng';
import {
  aggTradesText,
  ARCHIVES,
  fileLines,
  FORMATS,
  linesOf,
  readAll,
  REAL,
  tempDir,
} from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const BTC_AGG = 'BTCUSDT-aggTrades-2024-07-18.csv';
const ETH_AGG = 'ETHUSDT-aggTrades-2024-07-18.csv';
const ENGINES = ['native', 'fflate'] as const;
const README_TEXT =
  'Test archive for PairDesk: one aggTrades CSV next to this readme, as some archives ship.';

describe.each(ENGINES)('committed fixtures, %s inflate', (engine) => {
  const cases: [string, Record<string, string[]>][] = [
    ['BTCUSDT-aggTrades-2024-07-18.zip', { [BTC_AGG]: fileLines(join(FORMATS, BTC_AGG)) }],
    [
      'BTCUSDT-ETHUSDT-aggTrades-2024-07-18.zip',
      {
        [BTC_AGG]: fileLines(join(FORMATS, BTC_AGG)),
        [ETH_AGG]: fileLines(join(ARCHIVES, ETH_AGG)),
      },
    ],
    [
      'BTCUSDT-aggTrades-2024-07-18-with-readme.zip',
      { 'readme.txt': [README_TEXT], [BTC_AGG]: fileLines(join(FORMATS, BTC_AGG)) },
    ],
    [
      'BTCUSDT-1m-2024-07-18-stored.zip',
      { 'BTCUSDT-1m-2024-07-18.csv': fileLines(join(FORMATS, 'BTCUSDT-1m-2024-07-18.csv')) },
    ],
    ['BTCUSDT-aggTrades-2024-07-18-streamed.zip', { [BTC_AGG]: fileLines(join(FORMATS, BTC_AGG)) }],
  ];
  it.each(cases)('%s: every member, every line, in order', async (name, want) => {
    const path = join(ARCHIVES, name);
    const got = await readAll(path, { engine });
    expect(got.result.container).toBe('zip');
    expect(got.result.error).toBeUndefined();
    expect(got.result.cancelled).toBe(false);
    expect(Object.fromEntries(got.lines)).toEqual(want);
    expect(got.result.members.map((m) => m.member.member)).toEqual(Object.keys(want));
    for (const m of got.result.members) {
      expect(m).toMatchObject({ skipped: false, lines: want[m.member.member ?? ''].length });
      expect(m.member.name).toBe(name);
      expect(m.error).toBeUndefined();
      expect(m.member.sizeBytes).toBeGreaterThan(0);
    }
    expect(got.progress.at(-1)).toBe(statSync(path).size);
  });

  it('skips the members the caller declines, without asking about folders and __MACOSX', async () => {
    const asked: (string | null)[] = [];
    const got = await readAll(
      join(ARCHIVES, 'BTCUSDT-trades-2024-07-18-with-folders.zip'),
      { engine },
      { want: (m) => (asked.push(m), true) },
    );
    expect(asked).toEqual(['data/BTCUSDT-trades-2024-07-18.csv']);
    expect([...got.lines.values()]).toEqual([
      fileLines(join(FORMATS, 'BTCUSDT-trades-2024-07-18.csv')),
    ]);
    expect(got.result.members.map((m) => [m.member.member, m.skipped])).toEqual([
      ['__MACOSX/data/._BTCUSDT-trades-2024-07-18.csv', true],
      ['data/BTCUSDT-trades-2024-07-18.csv', false],
    ]);

    const noReadme = await readAll(
      join(ARCHIVES, 'BTCUSDT-aggTrades-2024-07-18-with-readme.zip'),
      { engine },
      { want: (m) => !(m ?? '').endsWith('.txt') },
    );
    expect([...noReadme.lines.keys()]).toEqual([BTC_AGG]);
    expect(noReadme.result.members[0]).toMatchObject({ skipped: true, lines: 0, bytes: 0 });
  });

  it('a zip cut inside its second member: the first whole, the second up to the cut, in words', async () => {
    const got = await readAll(join(ARCHIVES, 'BTCUSDT-ETHUSDT-aggTrades-2024-07-18-cut.zip'), {
      engine,
    });
    const eth = fileLines(join(ARCHIVES, ETH_AGG));
    expect(got.lines.get(BTC_AGG)).toEqual(fileLines(join(FORMATS, BTC_AGG)));
    const prefix = got.lines.get(ETH_AGG) ?? [];
    expect(prefix.length).toBeGreaterThan(5);
    expect(prefix.length).toBeLessThan(eth.length);
    expect(prefix).toEqual(eth.slice(0, prefix.length));
    const words = got.result.error ?? '';
    expect(words).toMatch(
      new RegExp(
        `^the zip is truncated inside member ETHUSDT-aggTrades-2024-07-18\\.csv after [\\d,]+ bytes of it \\(line ${prefix.length + 1}\\): the lines before were read; members after it are missing$`,
      ),
    );
    expect(got.result.members[1].error).toBe(words);
    expect(got.result.members[0].error).toBeUndefined();
  });
});

describe('gzip and plain files', () => {
  it('a gzip of a CSV gives the CSV lines, progress ending at the compressed size', async () => {
    const path = join(ARCHIVES, 'BTCUSDT-trades-2024-07-18.csv.gz');
    const got = await readAll(path);
    expect(got.result).toMatchObject({ container: 'gzip', cancelled: false });
    expect(got.lines.get(null)).toEqual(fileLines(join(FORMATS, 'BTCUSDT-trades-2024-07-18.csv')));
    expect(got.result.members[0]).toMatchObject({ gzip: true, lines: 41, skipped: false });
    expect(got.progress.at(-1)).toBe(statSync(path).size);
  });

  it('the real capture cut at 64 KiB: every intact line, then where it broke', async () => {
    const cut = join(ARCHIVES, 'um-btcusdt-ethusdt-2024-07-18T2357Z-cut.ndjson.gz');
    const whole = linesOf(
      gunzipSync(
        readFileSync(join(REAL, 'um-btcusdt-ethusdt-2024-07-18T2357Z.ndjson.gz')),
      ).toString(),
    );
    // What zlib itself can inflate from the cut file: its complete lines are the intact ones.
    const inflatable = gunzipSync(readFileSync(cut), { finishFlush: constants.Z_SYNC_FLUSH });
    const intact = inflatable.toString().split('\n').length - 1;
    const got = await readAll(cut);
    const lines = got.lines.get(null) ?? [];
    expect(lines.length).toBe(intact);
    expect(lines.length).toBeGreaterThan(1000);
    expect(lines).toEqual(whole.slice(0, intact));
    expect(got.result.error).toBe(
      `the gzip stream is truncated after ${inflatable.length.toLocaleString('en-US')} bytes (line ${(intact + 1).toLocaleString('en-US')}); the lines before it were read`,
    );
    expect(got.result.members[0].error).toBe(got.result.error);
  });

  it('a plain CSV, whatever its name says', async () => {
    const path = tmp.file('looks-like.zip');
    writeFileSync(path, readFileSync(join(ARCHIVES, ETH_AGG)));
    const got = await readAll(path);
    expect(got.result.container).toBe('plain');
    expect(got.lines.get(null)).toEqual(fileLines(join(ARCHIVES, ETH_AGG)));
    expect(got.result.members[0].member).toEqual({
      name: 'looks-like.zip',
      member: null,
      container: 'plain',
      sizeBytes: statSync(path).size,
    });
  });
});

/** A ~4.6 MB CSV split in two, as plain, gzip, and zips of every kind (written once). */
const big = (() => {
  const first = aggTradesText(40_000, 1);
  const second = aggTradesText(35_000, 2);
  const files = {
    plain: tmp.file('big.csv'),
    gzip: tmp.file('big.csv.gz'),
    deflate: tmp.file('big-two.zip'),
    stored: tmp.file('big-stored.zip'),
  };
  writeFileSync(files.plain, first);
  writeFileSync(files.gzip, gzipSync(first));
  const members = { 'a.csv': Buffer.from(first), 'b.csv': Buffer.from(second) };
  writeFileSync(files.deflate, zipSync(members, { level: 6 }));
  writeFileSync(files.stored, zipSync(members, { level: 0 }));
  return { files, first: linesOf(first), second: linesOf(second) };
})();

describe('larger files across chunk boundaries', () => {
  it.each(['plain', 'gzip'] as const)(
    '%s: every line; progress rises to the file size',
    async (kind) => {
      const path = big.files[kind];
      const got = await readAll(path);
      expect(got.lines.get(null)).toEqual(big.first);
      const size = statSync(path).size;
      expect(got.progress.length).toBeGreaterThan(1);
      for (let k = 1; k < got.progress.length; k++) {
        expect(got.progress[k]).toBeGreaterThanOrEqual(got.progress[k - 1]);
      }
      expect(got.progress.at(-1)).toBe(size);
    },
  );

  it.each([
    ['deflate', 'native'],
    ['deflate', 'fflate'],
    ['stored', 'native'],
  ] as const)(
    '%s zip, %s inflate: both members whole; progress rises to the file size',
    async (kind, engine) => {
      const path = big.files[kind];
      const got = await readAll(path, { engine });
      expect(got.result.error).toBeUndefined();
      expect(got.lines.get('a.csv')).toEqual(big.first);
      expect(got.lines.get('b.csv')).toEqual(big.second);
      expect(got.progress.length).toBeGreaterThan(2);
      for (let k = 1; k < got.progress.length; k++) {
        expect(got.progress[k]).toBeGreaterThanOrEqual(got.progress[k - 1]);
      }
      expect(got.progress.at(-1)).toBe(statSync(path).size);
      const sizes = got.result.members.map((m) => m.member.sizeBytes);
      expect(sizes[0] + sizes[1]).toBeLessThan(statSync(path).size);
      expect(got.result.members.map((m) => m.bytes)).toEqual([
        Buffer.byteLength(aggTradesText(40_000, 1)),
        Buffer.byteLength(aggTradesText(35_000, 2)),
      ]);
    },
  );

  it.each(['plain', 'gzip', 'deflate', 'stored'] as const)(
    '%s: an abort stops it between chunks',
    async (kind) => {
      const path = big.files[kind];
      const abort = new AbortController();
      const seen: number[] = [];
      const got = await readAll(
        path,
        {},
        {
          signal: abort.signal,
          onProgress(bytes) {
            seen.push(bytes);
            abort.abort();
          },
        },
      );
      expect(got.result.cancelled).toBe(true);
      expect(got.result.error).toBeUndefined();
      const read = [...got.lines.values()].reduce((n, l) => n + l.length, 0);
      expect(read).toBeGreaterThan(0);
      const all = kind === 'plain' || kind === 'gzip' ? big.first : [...big.first, ...big.second];
      expect(read).toBeLessThan(all.length);
      expect(seen).toHaveLength(1);
      // The gzip (0.7 MB) is read from disk in one chunk; its 2.7 MB of text are not.
      if (kind !== 'gzip') expect(seen[0]).toBeLessThan(statSync(path).size);
    },
  );

  it('an over-long line in a zip member is reported and skipped, the next line read', async () => {
    const path = tmp.file('overlong.zip');
    const long = 'x'.repeat(MAX_LINE_BYTES + 10);
    writeFileSync(path, zipSync({ 'o.csv': Buffer.from(`first\n${long}\nlast\n`) }));
    const got = await readAll(path);
    expect(got.lines.get('o.csv')).toEqual(['first', '<overlong>', 'last']);
    expect(got.overlong).toEqual([[2, MAX_LINE_BYTES + 10]]);
  });
});

describe('damaged and odd files never crash', () => {
  /** The byte offset of the `index`-th local header's data in `zip`. */
  function memberData(zip: Buffer, index: number): { at: number; dataAt: number; size: number } {
    let at = -1;
    for (let k = 0; k <= index; k++) at = zip.indexOf(Buffer.from('PK\x03\x04', 'latin1'), at + 1);
    const dataAt = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
    return { at, dataAt, size: zip.readUInt32LE(at + 18) };
  }

  it.each(ENGINES)(
    '%s: a corrupt first member is reported; the second is still read',
    async (engine) => {
      const zip = Buffer.from(readFileSync(big.files.deflate));
      const { dataAt, size } = memberData(zip, 0);
      zip.fill(0xff, dataAt + Math.floor(size / 2), dataAt + Math.floor(size / 2) + 64);
      const path = tmp.file(`corrupt-${engine}.zip`);
      writeFileSync(path, zip);
      const got = await readAll(path, { engine });
      const a = got.result.members[0];
      expect(a.error).toMatch(
        /^member a\.csv is damaged: deflate data is corrupt \(.+\) after [\d,]+ bytes of it \(line [\d,]+\): the lines before were read$/,
      );
      const aLines = got.lines.get('a.csv') ?? [];
      // fflate hands out a push's output only when the push succeeds: none of this one-chunk
      // member; zlib hands out what it inflated before the damage.
      if (engine === 'native') expect(aLines.length).toBeGreaterThan(100);
      expect(aLines.slice(0, -1)).toEqual(big.first.slice(0, Math.max(0, aLines.length - 1)));
      expect(got.lines.get('b.csv')).toEqual(big.second);
      expect(got.result.members[1].error).toBeUndefined();
      expect(got.result.error).toBeUndefined();
    },
  );

  it('a changed byte in a stored member fails its CRC-32 check, in words', async () => {
    const zip = Buffer.from(readFileSync(join(ARCHIVES, 'BTCUSDT-1m-2024-07-18-stored.zip')));
    const { dataAt } = memberData(zip, 0);
    const lineStart = zip.indexOf('\n', dataAt) + 1;
    zip[lineStart] = zip[lineStart] === 0x31 ? 0x32 : 0x31;
    const path = tmp.file('flipped.zip');
    writeFileSync(path, zip);
    const got = await readAll(path);
    const want = fileLines(join(FORMATS, 'BTCUSDT-1m-2024-07-18.csv'));
    const lines = got.lines.get('BTCUSDT-1m-2024-07-18.csv') ?? [];
    expect(lines).toHaveLength(want.length);
    expect(lines[1]).not.toBe(want[1]);
    expect(got.result.members[0].error).toMatch(
      /^member BTCUSDT-1m-2024-07-18\.csv fails its CRC-32 check \(the zip's directory says [0-9a-f]{8}, its data gives [0-9a-f]{8}\): it is damaged; its lines were read but some may be wrong$/,
    );
  });

  it('a member compressed with an unsupported method is named; the others are read', async () => {
    const zip = Buffer.from(
      readFileSync(join(ARCHIVES, 'BTCUSDT-ETHUSDT-aggTrades-2024-07-18.zip')),
    );
    // Method 14 (LZMA) in the first member's local header and its directory entry.
    zip.writeUInt16LE(14, memberData(zip, 0).at + 8);
    zip.writeUInt16LE(14, zip.indexOf(Buffer.from('PK\x01\x02', 'latin1')) + 10);
    const path = tmp.file('lzma.zip');
    writeFileSync(path, zip);
    const got = await readAll(path);
    expect(got.result.members[0].error).toBe(
      `member ${BTC_AGG} is compressed with LZMA (method 14), which is not supported (only stored and deflate): it was not read`,
    );
    expect(got.lines.get(BTC_AGG)).toEqual([]);
    expect(got.lines.get(ETH_AGG)).toEqual(fileLines(join(ARCHIVES, ETH_AGG)));
  });

  it('a zip cut between members says the rest is missing', async () => {
    const zip = readFileSync(join(ARCHIVES, 'BTCUSDT-ETHUSDT-aggTrades-2024-07-18.zip'));
    const path = tmp.file('cut-between.zip');
    writeFileSync(path, zip.subarray(0, memberData(zip, 1).at + 10));
    const got = await readAll(path);
    expect(got.lines.get(BTC_AGG)).toEqual(fileLines(join(FORMATS, BTC_AGG)));
    expect(got.result.error).toBe(
      `the zip is truncated after member ${BTC_AGG} (its end-of-archive record is missing): the members before were read; members after it, if any, are missing`,
    );
  });

  it('random bytes, alone or behind zip or gzip magic, give words, not exceptions', async () => {
    const rnd = mulberry32(7);
    const noise = Buffer.alloc(3 << 20);
    for (let k = 0; k < noise.length; k++) noise[k] = Math.floor(rnd() * 256);
    const cases = [
      ['noise.bin', Buffer.from([0x00]), 'plain'],
      ['noise.zip', Buffer.from('PK\x03\x04', 'latin1'), 'zip'],
      ['noise.gz', Buffer.from([0x1f, 0x8b]), 'gzip'],
    ] as const;
    for (const [name, magic, container] of cases) {
      const path = tmp.file(name);
      writeFileSync(path, Buffer.concat([magic, noise]));
      for (const engine of ENGINES) {
        const got = await readAll(path, { engine });
        expect(got.result.container).toBe(container);
        expect(got.result.cancelled).toBe(false);
        if (container === 'plain') expect(got.result.members[0].lines).toBeGreaterThan(1000);
        else expect(got.result.error).toMatch(/^the (zip|gzip)/);
      }
    }
  });

  it('an empty file is one empty plain member; an empty zip has no members', async () => {
    const empty = tmp.file('empty.csv');
    writeFileSync(empty, '');
    const got = await readAll(empty);
    expect(got.result).toMatchObject({ container: 'plain', cancelled: false });
    expect(got.result.members).toHaveLength(1);
    expect(got.result.members[0]).toMatchObject({ lines: 0, bytes: 0 });
    expect(got.lines.get(null)).toEqual([]);

    const emptyZip = tmp.file('empty.zip');
    writeFileSync(emptyZip, zipSync({}));
    const z = await readAll(emptyZip);
    expect(z.result).toEqual({ container: 'zip', members: [], cancelled: false });
  });

  it("the caller's own exception is not swallowed", async () => {
    for (const path of [big.files.plain, big.files.deflate, big.files.stored]) {
      await expect(
        readInput(path, {
          member: () => ({
            line() {
              throw new Error('handler bug');
            },
          }),
        }),
      ).rejects.toThrow('handler bug');
    }
  });
});
