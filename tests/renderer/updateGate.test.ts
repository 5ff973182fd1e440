// Chart update pacing: cheap updates run at once, costly ones are spaced and collapsed.
import { describe, expect, it } from 'vitest';
import { UpdateGate } from '../../src/renderer/charts/updateGate';
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
