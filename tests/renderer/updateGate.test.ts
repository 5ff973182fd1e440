// Chart update pacing: cheap updates run at once, costly ones are spaced and collapsed; the
// charts share each animation frame.
import { describe, expect, it } from 'vitest';
import { FrameShare, UpdateGate } from '../../src/renderer/charts/updateGate';
import type { GateClock } from '../../src/renderer/charts/updateGate';

function fakeClock() {
  let now = 0;
  const timers: { at: number; run: () => void }[] = [];
  const clock: GateClock = {
    now: () => now,
    setTimer: (run, ms) => {
      const t = { at: now + ms, run };
      timers.push(t);
      return t;
    },
    clearTimer: (t) => timers.splice(timers.indexOf(t as (typeof timers)[0]), 1),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((x) => x.at <= now)) {
      timers.splice(timers.indexOf(t), 1);
      t.run();
    }
  };
  return { clock, advance, pending: () => timers.length };
}

describe('UpdateGate', () => {
  it('runs at once while updates are cheap', () => {
    const { clock } = fakeClock();
    let runs = 0;
    const gate = new UpdateGate(() => runs++, { factor: 3, maxDelayMs: 1000 }, clock);
    gate.request();
    gate.request();
    expect(runs).toBe(2);
  });

  it('spaces costly updates and collapses requests into one trailing run', () => {
    const { clock, advance, pending } = fakeClock();
    let runs = 0;
    const gate = new UpdateGate(() => runs++, { factor: 3, maxDelayMs: 1000 }, clock);
    gate.request();
    gate.recordCost(200); // → 600 ms spacing
    for (let i = 0; i < 50; i++) gate.request();
    expect(runs).toBe(1);
    expect(pending()).toBe(1);
    advance(599);
    expect(runs).toBe(1);
    advance(1);
    expect(runs).toBe(2);
    gate.recordCost(10_000);
    expect(gate.intervalMs).toBe(1000); // capped
    gate.request();
    gate.dispose();
    advance(5000);
    expect(runs).toBe(2);
  });
});

describe('UpdateGate with a cheap threshold', () => {
  it('does not pace updates that fit in a frame', () => {
    const { clock, pending } = fakeClock();
    let runs = 0;
    const gate = new UpdateGate(() => runs++, { factor: 3, maxDelayMs: 1000, cheapMs: 16 }, clock);
    gate.request();
    gate.recordCost(12);
    expect(gate.intervalMs).toBe(0);
    gate.request();
    expect(runs).toBe(2);
    gate.recordCost(100); // smoothed 12 × 0.6 + 100 × 0.4 = 47.2 → paced
    expect(gate.intervalMs).toBeCloseTo(141.6, 6);
    gate.request();
    expect(runs).toBe(2);
    expect(pending()).toBe(1);
  });
});

describe('FrameShare', () => {
  function manualFrames() {
    const queue: (() => void)[] = [];
    return {
      schedule: (run: () => void) => {
        queue.push(run);
        return () => queue.splice(queue.indexOf(run) >>> 0, 1);
      },
      frame: () => {
        for (const run of queue.splice(0)) run();
      },
      get waiting() {
        return queue.length;
      },
    };
  }

  it('runs tasks at once until the frame budget is spent, the rest in later frames', () => {
    const frames = manualFrames();
    let now = 0;
    const share = new FrameShare(6, frames.schedule, () => now);
    const ran: string[] = [];
    const task = (name: string, cost: number) => () => {
      ran.push(name);
      now += cost;
    };
    const a = task('a', 5);
    const b = task('b', 4);
    const c = task('c', 1);
    share.run(a); // 5 ms spent
    share.run(b); // 5 < 6: runs → 9 ms
    share.run(c); // over budget: next frame
    share.run(c); // asked twice, runs once
    expect(ran).toEqual(['a', 'b']);
    expect(share.pending).toBe(1);
    frames.frame();
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(share.pending).toBe(0);
    frames.frame(); // resets the spent time
    share.run(a);
    expect(ran).toEqual(['a', 'b', 'c', 'a']);
  });

  it('keeps request order and forgets cancelled tasks', () => {
    const frames = manualFrames();
    let now = 0;
    const share = new FrameShare(6, frames.schedule, () => now);
    const ran: string[] = [];
    const task = (name: string) => () => {
      ran.push(name);
      now += 10;
    };
    const [a, b, c] = [task('a'), task('b'), task('c')];
    share.run(a);
    share.run(b);
    share.run(c);
    share.cancel(c);
    expect(ran).toEqual(['a']);
    frames.frame();
    expect(ran).toEqual(['a', 'b']); // one costly task per frame
    frames.frame();
    expect(ran).toEqual(['a', 'b']);
    expect(share.pending).toBe(0);
  });
});
