/**
 * Browser notifications of alert events, for the browser mode only: inside Electron the main
 * process shows native notifications itself, so the page must not show a second one.
 *
 * Permission is asked only from a button (never on load: browsers penalise unprompted asks and
 * the user should decide knowing why). Once granted, an event notifies when its source is
 * enabled in the settings (notifyLive/Demo/Replay), at most once per rule per
 * NOTIFY_INTERVAL_MS — the same rule as the desktop notifications; later events of that rule in
 * the interval show as in-app toasts only.
 */
import type { AlertRecord, Settings } from '../../core/contract/contract';
import { NOTIFY_INTERVAL_MS } from '../../core/alerts/types';
import type { AlertRuleId } from '../../core/alerts/types';
import { alertBody, alertTitle, sourceLabel } from './alertText';

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

/** At most one notification per rule per interval. */
export class RuleThrottle {
  private readonly last = new Map<AlertRuleId, number>();
  constructor(private readonly intervalMs = NOTIFY_INTERVAL_MS) {}

  /** Whether a notification for `rule` may be shown at `nowMs`; records it when so. */
  take(rule: AlertRuleId, nowMs: number): boolean {
    const previous = this.last.get(rule);
    if (previous !== undefined && nowMs - previous < this.intervalMs) return false;
    this.last.set(rule, nowMs);
    return true;
  }
}

/** The notification's title with the REPLAY / SIMULATED label first. */
export function notificationTitle(record: AlertRecord): string {
  const label = sourceLabel(record.source);
  return label ? `${label} · ${alertTitle(record)}` : alertTitle(record);
}

export class BrowserNotifier {
  private readonly throttle: RuleThrottle;

  constructor(
    private readonly scope: NotifyScope,
    private readonly onClick: (record: AlertRecord) => void,
    intervalMs = NOTIFY_INTERVAL_MS,
  ) {
    this.throttle = new RuleThrottle(intervalMs);
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
      if (!sourceEnabled(settings, record)) continue;
      if (!this.throttle.take(record.rule, nowMs)) continue;
      try {
        const n = new api(notificationTitle(record), {
          body: alertBody(record),
          tag: `pairdesk-${record.rule}`,
        });
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
