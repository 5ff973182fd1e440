/**
 * Alert actions of the UI (issue #9): the history, acknowledging, export, browser notifications
 * and bringing an event's bar into view. Like actions.ts, none of them knows the transport.
 */
import type { AlertFilter, AlertRecord, EventMap, SettingsPatch } from '../core/contract/contract';
import { saveSettings } from './actions';
import { BrowserNotifier } from './lib/browserNotify';
import type { NotifyPermission } from './lib/browserNotify';
import {
  acknowledge,
  alertsStore,
  connectAlerts,
  exportHistory,
  loadHistory,
  loadMore,
} from './state/alertsStore';
import { sessionStore } from './state/sessionStore';
import { getAppApi } from './transport';

/**
 * Opens the Analytics tab on the event's pair and timeframe and asks the charts to centre its
 * bar (the path of both a toast click and `alertFocus`).
 */
export function focusAlert(target: EventMap['alertFocus']): void {
  alertsStore.getState().requestFocus(target);
  switchToAnalytics(target);
}

function switchToAnalytics(target: EventMap['alertFocus']): void {
  const settings = sessionStore.getState().settings;
  if (!settings) return;
  const patch: SettingsPatch = {};
  if (settings.activeTab !== 'analytics') patch.activeTab = 'analytics';
  if (settings.pairA !== target.pairA) patch.pairA = target.pairA;
  if (settings.pairB !== target.pairB) patch.pairB = target.pairB;
  if (settings.timeframe !== target.timeframe) patch.timeframe = target.timeframe;
  if (Object.keys(patch).length > 0) void saveSettings(patch);
}

export function focusRecord(record: AlertRecord): void {
  focusAlert({
    alertId: record.id,
    barStartMs: record.barStartMs,
    pairA: record.pairA,
    pairB: record.pairB,
    timeframe: record.timeframe,
  });
}

let notifier: BrowserNotifier | null = null;

/** The page's notifier (browser mode); created on first use. */
export function browserNotifier(): BrowserNotifier {
  notifier ??= new BrowserNotifier(
    {
      pairdesk: window.pairdesk,
      Notification: typeof Notification === 'function' ? Notification : undefined,
    },
    (record) => {
      window.focus();
      focusRecord(record);
    },
  );
  return notifier;
}

export function requestNotifications(): Promise<NotifyPermission> {
  return browserNotifier().request();
}

/** Wires the alerts store to the transport; returns the cleanup. */
export function connectAppAlerts(): () => void {
  return connectAlerts(alertsStore, getAppApi(), {
    onAdded: (records) => browserNotifier().notify(records, sessionStore.getState().settings),
    onFocus: (focus) => switchToAnalytics(focus),
  });
}

export function setAlertFilter(filter: AlertFilter): Promise<void> {
  return loadHistory(alertsStore, getAppApi(), filter);
}

export function loadMoreAlerts(): Promise<void> {
  return loadMore(alertsStore, getAppApi());
}

export function acknowledgeAlerts(ids: readonly number[] | 'all'): Promise<void> {
  return acknowledge(alertsStore, getAppApi(), ids);
}

export function exportAlerts(): Promise<void> {
  return exportHistory(alertsStore, getAppApi());
}
