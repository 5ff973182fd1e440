/**
 * readHeads and detectContainer over real files: the first lines of every member, read cheaply
 * (a member's damage past its head is never reached), and containers from bytes, not names.
 */
import { zipSync } from 'fflate';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { detectContainer, readHeads, readInput } from '../../../../src/main/files/input';
import { aggTradesText, ARCHIVES, fileLines, FORMATS, linesOf, REAL, tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const BTC_AGG = 'BTCUSDT-aggTrades-2024-07-18.csv';
const ETH_AGG = 'ETHUSDT-aggTrades-2024-07-18.csv';

describe('detectContainer', () => {
  it.each([
    ['BTCUSDT-aggTrades-2024-07-18.zip', 'zip'],
    ['BTCUSDT-1m-2024-07-18-stored.zip', 'zip'],
    ['BTCUSDT-aggTrades-2024-07-18-streamed.zip', 'zip'],
    ['BTCUSDT-ETHUSDT-aggTrades-2024-07-18-cut.zip', 'zip'],
    ['BTCUSDT-trades-2024-07-18.csv.gz', 'gzip'],
    ['um-btcusdt-ethusdt-2024-07-18T2357Z-cut.ndjson.gz', 'gzip'],
    [ETH_AGG, 'plain'],
  ])('%s is %s', async (name, container) => {
    expect(await detectContainer(join(ARCHIVES, name))).toBe(container);
  });

  it('reads the bytes, not the name; empty and one-byte files are plain; an empty zip is a zip', async () => {
    const cases: [string, Uint8Array, string][] = [
      ['gzip-named.csv', readFileSync(join(ARCHIVES, 'BTCUSDT-trades-2024-07-18.csv.gz')), 'gzip'],
      ['zip-named.gz', readFileSync(join(ARCHIVES, 'BTCUSDT-aggTrades-2024-07-18.zip')), 'zip'],
      ['csv-named.zip', readFileSync(join(ARCHIVES, ETH_AGG)), 'plain'],
      ['empty.zip', zipSync({}), 'zip'],
      ['nothing.gz', new Uint8Array(0), 'plain'],
      ['one-byte.gz', new Uint8Array([0x1f]), 'plain'],
      ['pk-only', Buffer.from('PK\x07\x08', 'latin1'), 'plain'],
    ];
    for (const [name, bytes, container] of cases) {
      const path = tmp.file(name);
      writeFileSync(path, bytes);
      expect([name, await detectContainer(path)]).toEqual([name, container]);
    }
  });
});

describe('readHeads', () => {
  it('gives the first lines of each member of a two-member zip', async () => {
    const heads = await readHeads(join(ARCHIVES, 'BTCUSDT-ETHUSDT-aggTrades-2024-07-18.zip'));
    expect(heads.map((h) => h.member.member)).toEqual([BTC_AGG, ETH_AGG]);
    expect(heads[0].lines).toEqual(fileLines(join(FORMATS, BTC_AGG)).slice(0, 20));
    expect(heads[1].lines).toEqual(fileLines(join(ARCHIVES, ETH_AGG)).slice(0, 20));
    expect(heads.every((h) => h.error === undefined)).toBe(true);
  });

  it('gives maxLines lines of plain and gzip files, and all of a shorter file', async () => {
    const gz = await readHeads(join(ARCHIVES, 'BTCUSDT-trades-2024-07-18.csv.gz'), 3);
    expect(gz).toHaveLength(1);
    expect(gz[0].member).toMatchObject({ member: null, container: 'gzip' });
    expect(gz[0].lines).toEqual(
      fileLines(join(FORMATS, 'BTCUSDT-trades-2024-07-18.csv')).slice(0, 3),
    );
    const plain = await readHeads(join(FORMATS, 'BTCUSDT-1m-2024-07-18.csv'), 100);
    expect(plain[0].lines).toEqual(fileLines(join(FORMATS, 'BTCUSDT-1m-2024-07-18.csv')));
  });

  it('reads the head of a truncated capture without reaching the cut', async () => {
    const heads = await readHeads(
      join(ARCHIVES, 'um-btcusdt-ethusdt-2024-07-18T2357Z-cut.ndjson.gz'),
    );
    const whole = linesOf(
      gunzipSync(
        readFileSync(join(REAL, 'um-btcusdt-ethusdt-2024-07-18T2357Z.ndjson.gz')),
      ).toString(),
    );
    expect(heads[0].lines).toEqual(whole.slice(0, 20));
    expect(heads[0].error).toBeUndefined();
  });

  it('says why a head is short: a member cut before its 20th line', async () => {
    const heads = await readHeads(join(ARCHIVES, 'BTCUSDT-ETHUSDT-aggTrades-2024-07-18-cut.zip'));
    expect(heads[0].lines).toHaveLength(20);
    expect(heads[0].error).toBeUndefined();
    expect(heads[1].lines.length).toBeLessThan(20);
    expect(heads[1].lines).toEqual(
      fileLines(join(ARCHIVES, ETH_AGG)).slice(0, heads[1].lines.length),
    );
    expect(heads[1].error).toMatch(
      /^the zip is truncated inside member ETHUSDT-aggTrades-2024-07-18\.csv/,
    );
  });

  it('inflates only the start of each member: damage past the head is not reached', async () => {
    // A 10 MB first member (≈2.6 MB deflated) damaged 2 MB into its data, then a second member.
    const first = aggTradesText(150_000, 3);
    const second = aggTradesText(1_000, 4);
    const zip = Buffer.from(zipSync({ 'a.csv': Buffer.from(first), 'b.csv': Buffer.from(second) }));
    const dataAt = 30 + zip.readUInt16LE(26) + zip.readUInt16LE(28);
    expect(zip.readUInt32LE(18)).toBeGreaterThan(2_200_000);
    zip.fill(0xff, dataAt + 2_000_000, dataAt + 2_000_100);
    const path = tmp.file('damaged-late.zip');
    writeFileSync(path, zip);

    const heads = await readHeads(path, 5);
    expect(heads.map((h) => [h.member.member, h.lines, h.error])).toEqual([
      ['a.csv', linesOf(first).slice(0, 5), undefined],
      ['b.csv', linesOf(second).slice(0, 5), undefined],
    ]);
    // Reading it whole does reach the damage.
    const whole = await readInput(path, { member: () => ({ line: () => undefined }) });
    expect(whole.members[0].error).toMatch(/^member a\.csv is damaged: deflate data is corrupt/);
  });

  it('never rejects: empty, noise, and missing files give words', async () => {
    const empty = tmp.file('empty.csv');
    writeFileSync(empty, '');
    expect(await readHeads(empty)).toEqual([
      { member: { name: 'empty.csv', member: null, container: 'plain', sizeBytes: 0 }, lines: [] },
    ]);

    const noise = tmp.file('noise.zip');
    writeFileSync(
      noise,
      Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(5000, 0x5a)]),
    );
    const noiseHeads = await readHeads(noise);
    expect(noiseHeads.length).toBeGreaterThan(0);
    expect(noiseHeads.map((h) => h.error)).toEqual([
      'the file starts like a zip but holds no readable member and no end-of-archive record (damaged or truncated)',
    ]);

    const missing = await readHeads(tmp.file('not-there.csv'));
    expect(missing).toHaveLength(1);
    expect(missing[0].lines).toEqual([]);
    expect(missing[0].error).toMatch(/^the file could not be read \(ENOENT/);
  });
});
