/**
 * `npm run bench -- --only alertsReplay`: the real capture replayed at 50× through the services
 * (startPairDeskApp; 1s, W = 30, K = 2, rolling hedge) with notifications on for replays and a
 * counting Notifier: alert events stored vs OS notifications raised, and the most notifications
 * of one rule inside any 60 s of wall time (issue #9's target: ≤ 1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, type Settings } from '../src/core/contract/contract';
import { startPairDeskApp } from '../src/main/app/pairDeskApp';
import type { NotificationRequest } from '../src/main/platform/interfaces';
import { PairDeskStore } from '../src/main/store/store';
import { UM_2024_07_18 } from './realData';
import type { BenchRow } from './types';

const SPEED = 50;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function ruleOf(title: string): string {
  if (title.includes(' z = ')) return 'zscore';
  if (title.includes(' ρ = ')) return 'correlation';
  return title.includes('Feed') ? 'feed' : title;
}

export async function alertsReplayBenchRows(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pairdesk-bench-alerts-'));
  const dbFile = join(dir, 'bench.db');
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    timeframe: '1s',
    rollingWindow: 30,
    lookback: 1000,
    hedgeMethod: 'rolling',
    alertThreshold: 2,
    alertRearm: 0.5,
    alertCritical: 3,
    notifyReplay: true,
  };
  const seed = PairDeskStore.open(dbFile);
  seed.setSetting('settings', settings);
  seed.close();
  const shown: { n: NotificationRequest; at: number }[] = [];
  const t0 = Date.now();
  const app = await startPairDeskApp({
    dbFile,
    source: 'replay',
    replayFile: UM_2024_07_18,
    replaySpeed: SPEED,
    platform: {
      notifier: { notify: (n) => shown.push({ n, at: Date.now() }) },
      saveDialog: { askSavePath: async () => null },
    },
  });
  try {
    while (app.services.source.state === 'running') await sleep(100);
    await sleep(3_000); // the end recompute's reset reaches the rules
    const wallS = (Date.now() - t0) / 1000;
    const datasetId = app.services.source.datasetId;
    const events = [...app.services.store.alerts.all({})].filter((r) => r.datasetId === datasetId);
    let maxPerMinute = 0;
    for (const a of shown) {
      const n = shown.filter(
        (b) => ruleOf(b.n.title) === ruleOf(a.n.title) && b.at >= a.at && b.at - a.at < 60_000,
      ).length;
      maxPerMinute = Math.max(maxPerMinute, n);
    }
    const byRule = (rule: string): number => events.filter((e) => e.rule === rule).length;
    console.log(
      `    replay ${SPEED}× of ${UM_2024_07_18.split('/').pop()} in ${wallS.toFixed(1)} s: ` +
        `${events.length} events stored (z-score ${byRule('zscore')}, correlation ` +
        `${byRule('correlation')}), ${shown.length} OS notifications ` +
        `(${shown.map((s) => JSON.stringify(s.n.title)).join(', ')})`,
    );
    return [
      { name: `alert events stored, replay ${SPEED}×`, value: events.length, unit: 'events' },
      {
        name: 'OS notifications raised',
        value: shown.length,
        unit: 'notifications',
        reference: 'events stored',
        referenceValue: events.length,
        ratio: events.length > 0 ? shown.length / events.length : undefined,
      },
      {
        name: 'most OS notifications of one rule in any 60 s',
        value: maxPerMinute,
        unit: 'per rule per minute',
        target: '≤ 1',
        pass: maxPerMinute <= 1,
      },
    ];
  } finally {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
