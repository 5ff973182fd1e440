/**
 * Browser notifications of alert events, for the browser mode only: inside Electron the main
 * process shows native notifications itself, so the page must not show a second one.
 *
 * Permission is asked only from a button (never on load: browsers penalise unprompted asks and
 * the user should decide knowing why). Once granted, an event notifies by the desktop app's rules
 * (src/main/alerts/alertService.ts): its source enabled in the settings (notifyLive/Demo/Replay),
 * breaches and escalations (and the feed rule's both ways) but not reverts, and at most one per
 * rule per NOTIFY_INTERVAL_MS through core's NotificationThrottle, keyed like main's; the events
 * held back show as toasts only, and the next notification of the rule counts them.
 */
import type { AlertRecord, Settings } from '../../core/contract/contract';
import { NotificationThrottle } from '../../core/alerts/notificationThrottle';
import { NOTIFY_INTERVAL_MS } from '../../core/alerts/types';
import { alertBody, groupedText, notificationTitle, pairText } from '../../core/alerts/alertText';

export type NotifyPermission = 'default' | 'granted' | 'denied' | 'unsupported';

/** What the notifier needs of the page; injectable for tests. */
export interface NotifyScope {
  /** The preload's API: present = Electron, where main notifies natively. */
  pairdesk?: unknown;
  Notification?: {
    readonly permission: NotificationPermission;
    requestPermission(): Promise<NotificationPermission>;
    new (title: string, options?: NotificationOptions): Notification;
  };
}

/** Whether this page should show notifications itself (browser mode with the Notification API). */
export function notifiesInPage(scope: NotifyScope): boolean {
  return scope.pairdesk === undefined && typeof scope.Notification === 'function';
}

export function notifyPermission(scope: NotifyScope): NotifyPermission {
  if (!notifiesInPage(scope) || !scope.Notification) return 'unsupported';
  return scope.Notification.permission;
}

/** Whether the settings enable notifications for the record's source. */
export function sourceEnabled(
  settings: Pick<Settings, 'notifyLive' | 'notifyDemo' | 'notifyReplay'>,
  record: Pick<AlertRecord, 'source'>,
): boolean {
  switch (record.source) {
    case 'live':
      return settings.notifyLive;
    case 'demo':
      return settings.notifyDemo;
    case 'replay':
      return settings.notifyReplay;
  }
}

/** Reverts of the z-score and correlation rules are quiet; everything else may pop up. */
export function notifiable(record: Pick<AlertRecord, 'rule' | 'kind'>): boolean {
  return record.rule === 'feed' || record.kind !== 'revert';
}

/** The throttle key, as main's: one per pair, timeframe and rule; the feed rule per dataset. */
export function throttleKey(record: AlertRecord): string {
  return record.rule === 'feed'
    ? `${record.datasetId}|feed`
    : `${pairText(record)}|${record.timeframe}|${record.rule}`;
}

export class BrowserNotifier {
  private readonly throttle: NotificationThrottle;
  /** Wall ms of each key's last notification, for "N more since …". */
  private readonly lastShown = new Map<string, number>();

  constructor(
    private readonly scope: NotifyScope,
    private readonly onClick: (record: AlertRecord) => void,
    intervalMs = NOTIFY_INTERVAL_MS,
  ) {
    this.throttle = new NotificationThrottle(intervalMs);
  }

  get permission(): NotifyPermission {
    return notifyPermission(this.scope);
  }

  /** Asks for permission (from a click). */
  async request(): Promise<NotifyPermission> {
    const api = this.scope.Notification;
    if (!notifiesInPage(this.scope) || !api) return 'unsupported';
    try {
      return await api.requestPermission();
    } catch {
      return api.permission;
    }
  }

  /** Shows what may be shown of `records` (oldest first); returns how many were shown. */
  notify(
    records: readonly AlertRecord[],
    settings: Pick<Settings, 'notifyLive' | 'notifyDemo' | 'notifyReplay'> | null,
    nowMs = Date.now(),
  ): number {
    const api = this.scope.Notification;
    if (!settings || !api || this.permission !== 'granted') return 0;
    let shown = 0;
    for (const record of records) {
      if (!sourceEnabled(settings, record) || !notifiable(record)) continue;
      const key = throttleKey(record);
      const decision = this.throttle.offer(key, nowMs);
      if (!decision.notify) continue;
      const since = this.lastShown.get(key) ?? nowMs;
      this.lastShown.set(key, nowMs);
      const body =
        decision.grouped > 0
          ? `${alertBody(record)}\n${groupedText(record.rule, decision.grouped, since, 'second')}`
          : alertBody(record);
      try {
        const n = new api(notificationTitle(record), { body, tag: `pairdesk-${key}` });
        n.onclick = () => {
          this.onClick(record);
          n.close();
        };
        shown += 1;
      } catch {
        // Some platforms only allow notifications from a service worker: toasts remain.
      }
    }
    return shown;
  }
}
