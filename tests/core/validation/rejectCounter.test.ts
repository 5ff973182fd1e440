import { describe, expect, it } from 'vitest';
import { REJECT_REASONS, RejectCounter } from '../../../src/core/validation/rejectCounter';

describe('RejectCounter', () => {
  it('starts with every reason at zero', () => {
    const c = new RejectCounter();
    const snap = c.snapshot();
    expect(Object.keys(snap).sort()).toEqual([...REJECT_REASONS].sort());
    expect(Object.values(snap).every((n) => n === 0)).toBe(true);
    expect(REJECT_REASONS).toContain('too_late');
    expect(c.total).toBe(0);
  });

  it('counts by reason and in total; snapshots are copies', () => {
    const c = new RejectCounter();
    c.add({ reason: 'bad_price', field: 'p', message: 'x' });
    c.add({ reason: 'bad_price', field: 'p', message: 'y' });
    c.add({ reason: 'duplicate', message: 'z' });
    const snap = c.snapshot();
    expect(snap.bad_price).toBe(2);
    expect(snap.duplicate).toBe(1);
    expect(snap.malformed_json).toBe(0);
    expect(c.countOf('bad_price')).toBe(2);
    expect(c.total).toBe(3);
    snap.bad_price = 99;
    expect(c.countOf('bad_price')).toBe(2);
  });

  it('keeps the last N with source, line and a truncated excerpt, oldest first', () => {
    const c = new RejectCounter(3, 10);
    for (let line = 1; line <= 5; line++) {
      c.add(
        { reason: 'missing_field', field: 'p', message: `line ${line}` },
        { source: 'capture.ndjson', line, raw: `{"e":"aggTrade","n":${line}}` },
      );
    }
    const recent = c.recent();
    expect(recent.map((r) => r.line)).toEqual([3, 4, 5]);
    expect(recent.map((r) => r.seq)).toEqual([3, 4, 5]);
    expect(recent[2]).toStrictEqual({
      seq: 5,
      reason: 'missing_field',
      field: 'p',
      message: 'line 5',
      source: 'capture.ndjson',
      line: 5,
      excerpt: '{"e":"aggT… (22 chars)',
    });
    expect(c.total).toBe(5);
  });

  it('returns fewer than N records in order before the ring fills', () => {
    const c = new RejectCounter(20);
    c.add({ reason: 'bad_qty', message: 'a' });
    c.add({ reason: 'too_late', message: 'b' });
    expect(c.recent().map((r) => r.message)).toEqual(['a', 'b']);
    expect(c.recent()[0]).toStrictEqual({ seq: 1, reason: 'bad_qty', message: 'a' });
  });

  it('can keep nothing, and resets', () => {
    const c = new RejectCounter(0);
    c.add({ reason: 'bad_qty', message: 'a' });
    expect(c.recent()).toEqual([]);
    expect(c.total).toBe(1);
    c.reset();
    expect(c.total).toBe(0);
    expect(c.countOf('bad_qty')).toBe(0);
    expect(() => new RejectCounter(-1)).toThrow(RangeError);
  });
});
