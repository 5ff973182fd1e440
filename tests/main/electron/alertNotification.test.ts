/**
 * Issue #9 through the Electron adapter with the fake `electron`: a breach raised by the alerts
 * service (real SQLite) becomes a native Notification with the agreed title and body, shown; a
 * click brings the main window to the front and sends `alertFocus` to the renderer over the IPC
 * event channel (the same forwarder main.ts installs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_SETTINGS,
  IPC_EVENT_CHANNEL,
  type ContractHost,
  type EventEnvelope,
} from '../../../src/core/contract/contract';
import { AlertService } from '../../../src/main/alerts/alertService';
import { forwardContractEvents } from '../../../src/main/electron/ipc';
import { PairDeskStore } from '../../../src/main/store/store';
import { FakeBrowserWindow, FakeNotification } from './fakeElectron';
import { installFakeElectron } from './electronMock';
import { alertColumns } from '../../support/alertColumns';
import { sourceInfo } from '../../support/sourceInfo';

vi.mock('electron', async () => (await import('./electronMock')).electronModule);

const T0 = Date.UTC(2024, 6, 19, 14, 2, 0);

describe('alert notifications through the Electron adapter (fake electron)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('shows a Notification for a breach; its click focuses the window and sends alertFocus', async () => {
    installFakeElectron();
    const { createElectronPlatform } = await import('../../../src/main/electron/platform');
    const dir = mkdtempSync(join(tmpdir(), 'pairdesk-alert-electron-'));
    dirs.push(dir);
    const store = PairDeskStore.open(join(dir, 'pairdesk.db'));
    const dataset = store.createDataset('live', 'Live');
    const source = sourceInfo({ label: 'Live', datasetId: dataset.id });
    const settings = { ...DEFAULT_SETTINGS, timeframe: '1m' as const };

    // The window main.ts would create, showing the app page, minimised to the background.
    const window = new FakeBrowserWindow({});
    window.webContents.mainFrame.url = 'app://renderer/index.html';
    const listeners = new Set<(e: EventEnvelope) => void>();
    const host: ContractHost = {
      handle: async () => {
        throw new Error('not used');
      },
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    forwardContractEvents(host, () => window);
    const service = new AlertService({
      store,
      settings: () => settings,
      source: () => source,
      ingestStats: () => ({
        messagesPerSec: 10,
        lastMessageAgeMs: 50,
        ticksStored: 0,
        rejects: {},
        rejectsTotal: 0,
        dbSizeBytes: 0,
      }),
      emit: (event, payload) => {
        for (const l of listeners) l({ event, payload } as EventEnvelope);
      },
      // The getter main.ts passes; the fake stands in for Electron's BrowserWindow.
      platform: createElectronPlatform(() => window as never),
      now: () => T0 + 65_000,
    });
    try {
      const starts = [T0 - 60_000, T0];
      service.onSeries({
        reset: true,
        selection: {
          pairA: 'BTCUSDT',
          pairB: 'ETHUSDT',
          timeframe: '1m',
          rollingWindow: settings.rollingWindow,
          lookback: settings.lookback,
          hedgeMethod: settings.hedgeMethod,
          kalmanDelta: settings.kalmanDelta,
          kalmanVe: settings.kalmanVe,
        },
        columns: alertColumns(starts, [0.3, 2.41], { hedgeRatio: 19.12 }),
        warmup: null,
      });

      expect(FakeNotification.created).toHaveLength(1);
      const notification = FakeNotification.created[0]!;
      expect(notification.options.title).toBe('BTCUSDT/ETHUSDT z = +2.41 (1m)');
      expect(notification.options.body).toBe(
        'Breach: z ≥ +2 · β = 19.12 · bar 2024-07-19 14:02:00 UTC',
      );
      expect(notification.shownCount).toBe(1);
      expect(notification.listenerCount('click')).toBe(1);
      const [record] = [...store.alerts.all({})];
      expect(record?.notified).toBe(true);

      // The renderer got the stored event; nothing focused yet.
      const sent = () =>
        window.webContents.sent
          .filter((m) => m.channel === IPC_EVENT_CHANNEL)
          .map((m) => m.args[0] as EventEnvelope);
      expect(sent().map((e) => e.event)).toEqual(['alerts']);
      expect(window.focused).toBe(false);

      notification.emit('click');
      expect(window.shown).toBe(true);
      expect(window.focused).toBe(true);
      expect(sent().at(-1)).toEqual({
        event: 'alertFocus',
        payload: {
          alertId: record!.id,
          barStartMs: T0,
          pairA: 'BTCUSDT',
          pairB: 'ETHUSDT',
          timeframe: '1m',
        },
      });
    } finally {
      service.stop();
      store.close();
    }
  });

  it('without OS notification support the adapter logs instead of throwing', async () => {
    installFakeElectron();
    FakeNotification.supported = false;
    const { createElectronNotifier } = await import('../../../src/main/electron/platform');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    createElectronNotifier(() => null).notify({ title: 'T', body: 'B', onClick: () => undefined });
    expect(FakeNotification.created).toHaveLength(0);
    expect(log).toHaveBeenCalledWith('[notice] T: B');
    log.mockRestore();
  });
});
