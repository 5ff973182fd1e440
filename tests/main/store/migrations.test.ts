import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/store/db';
import {
  getUserVersion,
  migrate,
  MIGRATIONS,
  SCHEMA_VERSION,
  SchemaTooNewError,
  type Migration,
} from '../../../src/main/store/migrations';
import { tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function tables(db: Database.Database): string[] {
  return db
    .prepare<[], string>(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .pluck()
    .all();
}

describe('migrations', () => {
  it('numbers migrations 1..n in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('creates the v1 schema on an empty file with the expected pragmas', () => {
    const file = tmp.file('fresh.db');
    const db = openDatabase(file);
    expect(getUserVersion(db)).toBe(SCHEMA_VERSION);
    expect(tables(db)).toEqual([
      'alert_cursors',
      'alert_events',
      'bars',
      'datasets',
      'settings',
      'ticks',
    ]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('page_size', { simple: true })).toBe(8192);
    expect(db.pragma('cache_size', { simple: true })).toBe(-32 * 1024);
    db.close();
  });

  it('passes nativeBinding through to better-sqlite3', () => {
    const binding = createRequire(import.meta.url).resolve(
      'better-sqlite3/build/Release/better_sqlite3.node',
    );
    const db = openDatabase(tmp.file('binding.db'), { nativeBinding: binding });
    expect(getUserVersion(db)).toBe(SCHEMA_VERSION);
    db.close();
    expect(() =>
      openDatabase(tmp.file('nobinding.db'), { nativeBinding: '/nonexistent/x.node' }),
    ).toThrow();
  });

  it('reopening is idempotent and keeps data', () => {
    const file = tmp.file('reopen.db');
    const a = openDatabase(file);
    a.prepare("INSERT INTO settings (key, value) VALUES ('k', '1')").run();
    a.close();
    const b = openDatabase(file);
    expect(migrate(b)).toEqual([]);
    expect(getUserVersion(b)).toBe(SCHEMA_VERSION);
    expect(b.prepare('SELECT value FROM settings').pluck().get()).toBe('1');
    b.close();
  });

  it('refuses a database from a newer schema version without modifying it', () => {
    const file = tmp.file('newer.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(SchemaTooNewError);
    expect(() => openDatabase(file)).toThrow(/newer PairDesk/);
    const check = new Database(file);
    expect(getUserVersion(check)).toBe(SCHEMA_VERSION + 1);
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete'); // not switched to WAL
    check.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('opens read-only at the current version and refuses to migrate read-only', () => {
    const file = tmp.file('ro.db');
    openDatabase(file).close();
    const ro = openDatabase(file, { readonly: true });
    expect(ro.readonly).toBe(true);
    expect(getUserVersion(ro)).toBe(SCHEMA_VERSION);
    ro.close();

    const old = tmp.file('old.db');
    new Database(old).close();
    expect(() => openDatabase(old, { readonly: true })).toThrow(/open it read-write once/);
    expect(() => openDatabase(tmp.file('missing.db'), { readonly: true })).toThrow();
  });

  it('rolls back a failing migration together with its user_version bump', () => {
    const file = tmp.file('failing.db');
    const db = new Database(file);
    const broken: Migration[] = [
      MIGRATIONS[0],
      {
        version: 2,
        name: 'half-done',
        up(d) {
          d.exec('CREATE TABLE half_done (x INTEGER)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(db, broken)).toThrow('boom');
    expect(getUserVersion(db)).toBe(1);
    expect(tables(db)).not.toContain('half_done');
    db.close();
  });

  it('rejects a migration list with gaps', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [{ ...MIGRATIONS[0], version: 2 }])).toThrow(/version 2/);
    db.close();
  });
});
