/**
 * zipMembers lists a replay zip's members from its central directory, and from one pass over the
 * local headers when a truncated zip has none; planReplay refuses a zip with no files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { zipMembers } from '../../../src/main/feedserver/sources/replayInput';
import { planReplay } from '../../../src/main/feedserver/sources/replayPlan';

const dir = mkdtempSync(join(tmpdir(), 'pairdesk-replay-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Big enough members that cutting the zip in half leaves the first header and loses the last.
const body = (seed: number): Uint8Array =>
  strToU8(Array.from({ length: 4000 }, (_, i) => `${i * seed},${(i * 7919) % 1000}`).join('\n'));
const zip = zipSync(
  { 'b.csv': body(3), 'docs/': new Uint8Array(0), 'a.csv': body(5) },
  { level: 0 },
);

describe('zipMembers', () => {
  it('an intact zip: the files in archive order, folders left out', async () => {
    const file = join(dir, 'intact.zip');
    writeFileSync(file, zip);
    expect(await zipMembers(file)).toEqual(['b.csv', 'a.csv']);
  });

  it('a truncated zip (no central directory): the members whose headers were read', async () => {
    const file = join(dir, 'cut.zip');
    writeFileSync(file, zip.subarray(0, Math.floor(zip.length / 3)));
    expect(await zipMembers(file)).toEqual(['b.csv']);
  });

  it('an empty zip: no members, and a replay of it is refused in words', async () => {
    const file = join(dir, 'empty.zip');
    writeFileSync(file, zipSync({}));
    expect(await zipMembers(file)).toEqual([]);
    await expect(planReplay([{ path: file }])).rejects.toThrow('empty.zip: the zip holds no files');
  });
});
