/** Keyboard shortcuts: a pure mapping from a key event to an action, so it can be unit-tested. */
import type { TabId } from '../../core/contract/contract';
import type { Timeframe } from '../../core/market/types';

export type ShortcutAction =
  | { type: 'timeframe'; timeframe: Timeframe }
  | { type: 'tab'; tab: TabId }
  | { type: 'toggleTheme' }
  /** Analytics tab only: run the stationarity tests now. */
  | { type: 'runTests' }
  | { type: 'toggleHelp' }
  | { type: 'closeHelp' };

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** The focused element, if any: typing in a field never triggers shortcuts. */
  target: { tagName?: string; isContentEditable?: boolean } | null;
}

export const SHORTCUTS: readonly { keys: string; description: string }[] = [
  { keys: '1 / 2 / 3', description: 'Timeframe 1s / 1m / 5m' },
  { keys: 'P  or  Ctrl+1', description: 'Prices tab' },
  { keys: 'A  or  Ctrl+2', description: 'Analytics tab' },
  { keys: 'L  or  Ctrl+3', description: 'Alerts tab (history of alert events)' },
  { keys: 'D  or  Ctrl+4', description: 'Data tab (datasets: open, rename, delete, export)' },
  { keys: 'R', description: 'Run the stationarity tests now (Analytics tab)' },
  { keys: 'T', description: 'Toggle dark / light theme' },
  { keys: '?', description: 'Show / hide this help' },
  { keys: 'Esc', description: 'Close this help' },
];

const EDITABLE = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

export function isTyping(target: KeyLike['target']): boolean {
  if (!target) return false;
  return Boolean(target.isContentEditable) || EDITABLE.has((target.tagName ?? '').toUpperCase());
}

export function shortcutFor(event: KeyLike): ShortcutAction | null {
  if (isTyping(event.target)) return null;
  if (event.altKey) return null;
  const ctrl = event.ctrlKey || event.metaKey;
  if (ctrl) {
    if (event.key === '1') return { type: 'tab', tab: 'prices' };
    if (event.key === '2') return { type: 'tab', tab: 'analytics' };
    if (event.key === '3') return { type: 'tab', tab: 'alerts' };
    if (event.key === '4') return { type: 'tab', tab: 'data' };
    return null;
  }
  switch (event.key) {
    case '1':
      return { type: 'timeframe', timeframe: '1s' };
    case '2':
      return { type: 'timeframe', timeframe: '1m' };
    case '3':
      return { type: 'timeframe', timeframe: '5m' };
    case 'p':
    case 'P':
      return { type: 'tab', tab: 'prices' };
    case 'a':
    case 'A':
      return { type: 'tab', tab: 'analytics' };
    case 'l':
    case 'L':
      return { type: 'tab', tab: 'alerts' };
    case 'd':
    case 'D':
      return { type: 'tab', tab: 'data' };
    case 'r':
    case 'R':
      return { type: 'runTests' };
    case 't':
    case 'T':
      return { type: 'toggleTheme' };
    case '?':
      return { type: 'toggleHelp' };
    case 'Escape':
      return { type: 'closeHelp' };
    default:
      return null;
  }
}
