import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeedClock } from '../../../src/core/bars/feedClock';

describe('FeedClock', () => {
  it('is −Infinity before any event', () => {
    expect(new FeedClock().now(123)).toBe(-Infinity);
  });

  it('follows event time and carries it forward by the local clock while quiet', () => {
    const c = new FeedClock();
    c.observe(1_000_000, 50); // exchange time 1_000_000 seen at local 50
    expect(c.now(50)).toBe(1_000_000);
    expect(c.now(350)).toBe(1_000_300);
    c.observe(1_000_400, 420); // re-anchors on the newer event
    expect(c.now(420)).toBe(1_000_400);
    expect(c.now(2420)).toBe(1_002_400);
    expect(c.lastEventTimeMs).toBe(1_000_400);
  });

  it('end(): +∞ from then on, whatever the local clock, and later events are ignored', () => {
    const c = new FeedClock();
    c.observe(10_000, 0);
    expect(c.now(500)).toBe(10_500);
    c.end();
    expect(c.ended).toBe(true);
    // A finished source has no quiet intervals to carry forward: the end, not a time.
    expect(c.now(500)).toBe(Infinity);
    expect(c.now(60_000)).toBe(Infinity);
    c.observe(20_000, 60_000);
    expect(c.lastEventTimeMs).toBe(10_000);
    expect(c.now(70_000)).toBe(Infinity);
  });

  it('never goes backwards: a lagging event holds the clock until it catches up', () => {
    const c = new FeedClock();
    c.observe(10_000, 0);
    expect(c.now(500)).toBe(10_500); // carried forward
    c.observe(10_300, 500); // newer event, but behind the carried-forward value
    expect(c.now(500)).toBe(10_500);
    expect(c.now(600)).toBe(10_500); // 10_300 + 100 < 10_500: held
    expect(c.now(900)).toBe(10_700); // caught up and moving again
    c.observe(9_000, 950); // older event (other stream): ignored
    expect(c.now(950)).toBe(10_750);
  });

  it('does not run on a local clock that steps back', () => {
    const c = new FeedClock();
    c.observe(5_000, 1_000);
    expect(c.now(900)).toBe(5_000);
  });

  it('is monotonic for any interleaving of events and reads (property)', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('observe' as const),
        e: fc.integer({ min: 0, max: 100_000 }),
        dl: fc.nat(500),
      }),
      fc.record({ kind: fc.constant('now' as const), dl: fc.nat(500) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 100 }), (ops) => {
        const c = new FeedClock();
        let local = 0;
        let last = -Infinity;
        let maxEvent = -Infinity;
        for (const o of ops) {
          local += o.dl;
          if (o.kind === 'observe') {
            c.observe(o.e, local);
            maxEvent = Math.max(maxEvent, o.e);
          }
          const n = c.now(local);
          expect(n).toBeGreaterThanOrEqual(last);
          // Never behind the newest event seen.
          expect(n).toBeGreaterThanOrEqual(maxEvent);
          last = n;
        }
      }),
    );
  });
});
