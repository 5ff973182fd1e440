// Freshness of the built renderer (src/main/bridge/rendererBuild.ts) in a temporary project:
// the record of the inputs, not clock order, decides.
import { cpSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  recordRendererInputs,
  rendererBuildIsFresh,
  rendererInputsStamp,
} from '../../../src/main/bridge/rendererBuild';
import { REPO_ROOT } from '../../support/realData';

describe('renderer build freshness', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'pairdesk-renderer-'));
    for (const part of ['src/renderer', 'src/core', 'resources', 'electron.vite.config.ts']) {
      cpSync(join(REPO_ROOT, part), join(root, part), { recursive: true });
    }
    writeFileSync(join(root, 'package.json'), '{"name":"copy"}\n');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is stale without a build or a record, fresh once both exist, stale on any change', () => {
    expect(rendererBuildIsFresh(root)).toBe(false); // nothing built
    mkdirSync(join(root, 'out', 'renderer'), { recursive: true });
    writeFileSync(join(root, 'out', 'renderer', 'index.html'), '<!doctype html>\n');
    expect(rendererBuildIsFresh(root)).toBe(false); // built without a record
    recordRendererInputs(rendererInputsStamp(root), root);
    expect(rendererBuildIsFresh(root)).toBe(true);

    // A source restored with an older time is a change (a newer-than-build check misses it).
    const source = join(root, 'src', 'renderer', 'state', 'analyticsStore.ts');
    const past = new Date(Date.now() - 3_600_000);
    utimesSync(source, past, past);
    expect(rendererBuildIsFresh(root)).toBe(false);
    recordRendererInputs(rendererInputsStamp(root), root);
    expect(rendererBuildIsFresh(root)).toBe(true);

    // Dated in the future: stale once, fresh after the rebuild records it.
    const future = new Date(Date.now() + 3_600_000);
    utimesSync(join(root, 'electron.vite.config.ts'), future, future);
    expect(rendererBuildIsFresh(root)).toBe(false);
    recordRendererInputs(rendererInputsStamp(root), root);
    expect(rendererBuildIsFresh(root)).toBe(true);

    // Added and deleted files count, in core and resources too.
    const added = join(root, 'src', 'core', 'scratch.ts');
    writeFileSync(added, 'export const x = 1;\n');
    expect(rendererBuildIsFresh(root)).toBe(false);
    rmSync(added);
    expect(rendererBuildIsFresh(root)).toBe(true);
    rmSync(join(root, 'resources', 'icon.png'));
    expect(rendererBuildIsFresh(root)).toBe(false);
  });

  it('a packaged app (no sources) keeps the build it ships', () => {
    const packaged = mkdtempSync(join(tmpdir(), 'pairdesk-packaged-'));
    try {
      mkdirSync(join(packaged, 'out', 'renderer'), { recursive: true });
      writeFileSync(join(packaged, 'out', 'renderer', 'index.html'), '<!doctype html>\n');
      expect(rendererBuildIsFresh(packaged)).toBe(true);
    } finally {
      rmSync(packaged, { recursive: true, force: true });
    }
  });
});
