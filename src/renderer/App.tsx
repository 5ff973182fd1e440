/**
 * The dashboard shell: header with tabs, resizable sidebar, content, status bar. Wires the
 * stores to the transport once, keeps bar histories in step with the settings, applies the
 * theme and handles keyboard shortcuts.
 */
import { useEffect, useRef, useState } from 'react';
import type { TabId } from '../core/contract/contract';
import { loadSeries, runTests, saveSettings } from './actions';
import { connectAppAlerts } from './alertActions';
import { AlertBell } from './components/alerts/AlertBell';
import { AlertsTab } from './components/alerts/AlertsTab';
import { Toasts } from './components/alerts/Toasts';
import { AnalyticsTab } from './components/AnalyticsTab';
import { DataTab } from './components/data/DataTab';
import { DropOverlay } from './components/files/DropOverlay';
import { ImportSheet } from './components/files/ImportSheet';
import { OpenFileButton } from './components/files/OpenFileButton';
import { TransferPanel } from './components/files/TransferPanel';
import { LiveErrorBanner, MessageBanners, TransportBanner } from './components/Banners';
import { HelpOverlay } from './components/HelpOverlay';
import { PricesTab } from './components/PricesTab';
import { Sidebar } from './components/Sidebar';
import { clampSidebarWidth, Splitter } from './components/Splitter';
import { StatusBar } from './components/StatusBar';
import { connectFiles } from './fileActions';
import { shortcutFor } from './lib/keyboard';
import { alertsStore, loadMarkers } from './state/alertsStore';
import { analyticsStore, connectAnalytics } from './state/analyticsStore';
import { barsStore } from './state/barsStore';
import { animationFrameScheduler } from './state/frameCoalescer';
import { connectSession, sessionStore, useSession } from './state/sessionStore';
import { getAppApi } from './transport';

const TABS: { id: TabId; label: string; hint: string }[] = [
  { id: 'prices', label: 'Prices', hint: 'P or Ctrl+1' },
  { id: 'analytics', label: 'Analytics', hint: 'A or Ctrl+2' },
  { id: 'alerts', label: 'Alerts', hint: 'L or Ctrl+3' },
  { id: 'data', label: 'Data', hint: 'D or Ctrl+4' },
];

function useSessionConnection(): void {
  useEffect(() => {
    try {
      const api = getAppApi();
      const disconnectSession = connectSession(sessionStore, api, {
        bars: barsStore,
        scheduler: animationFrameScheduler,
        onReopen: () => void loadSeries(true),
      });
      const disconnectAnalytics = connectAnalytics(analyticsStore, sessionStore, api, {
        scheduler: animationFrameScheduler,
      });
      const disconnectAlerts = connectAppAlerts();
      const disconnectFiles = connectFiles();
      return () => {
        disconnectFiles();
        disconnectAlerts();
        disconnectAnalytics();
        disconnectSession();
      };
    } catch (e) {
      sessionStore.getState().setError(e instanceof Error ? e.message : String(e));
      return undefined;
    }
  }, []);
}

/** Loads bar histories on start and whenever the pair, timeframe or lookback changes. */
function useBarHistories(): void {
  const ready = useSession((s) => s.settings !== null);
  const pairA = useSession((s) => s.settings?.pairA);
  const pairB = useSession((s) => s.settings?.pairB);
  const timeframe = useSession((s) => s.settings?.timeframe);
  const lookback = useSession((s) => s.settings?.lookback);
  const datasetId = useSession((s) => s.source?.datasetId);
  useEffect(() => {
    if (ready) void loadSeries();
  }, [ready, pairA, pairB, timeframe, lookback]);
  // Another source (dataset): its bars replace the ones shown.
  const previousDataset = useRef(datasetId);
  useEffect(() => {
    if (previousDataset.current === datasetId) return;
    const first = previousDataset.current === undefined;
    previousDataset.current = datasetId;
    if (!first && ready) void loadSeries(true);
  }, [datasetId, ready]);
}

/** Loads the chart markers (alert events) of the selected pair, timeframe and dataset. */
function useAlertMarkers(): void {
  const pairA = useSession((s) => s.settings?.pairA);
  const pairB = useSession((s) => s.settings?.pairB);
  const timeframe = useSession((s) => s.settings?.timeframe);
  const datasetId = useSession((s) => s.source?.datasetId);
  useEffect(() => {
    if (!pairA || !pairB || !timeframe || datasetId === undefined) return;
    try {
      void loadMarkers(alertsStore, getAppApi(), { pairA, pairB, timeframe, datasetId });
    } catch {
      // No transport: the app error banner says so already.
    }
  }, [pairA, pairB, timeframe, datasetId]);
}

function useTheme(): void {
  const theme = useSession((s) => s.settings?.theme ?? 'dark');
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
  }, [theme]);
}

function toggleTheme(): void {
  const theme = sessionStore.getState().settings?.theme ?? 'dark';
  void saveSettings({ theme: theme === 'dark' ? 'light' : 'dark' });
}

function useShortcuts(setHelp: (update: (open: boolean) => boolean) => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target instanceof HTMLElement ? event.target : null;
      const action = shortcutFor({
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        target,
      });
      if (!action) return;
      const settings = sessionStore.getState().settings;
      switch (action.type) {
        case 'timeframe':
          if (settings && settings.timeframe !== action.timeframe)
            void saveSettings({ timeframe: action.timeframe });
          break;
        case 'tab':
          if (settings && settings.activeTab !== action.tab)
            void saveSettings({ activeTab: action.tab });
          break;
        case 'toggleTheme':
          if (settings) toggleTheme();
          break;
        case 'runTests':
          // Only where the results are shown; elsewhere `r` does nothing.
          if (settings?.activeTab !== 'analytics') return;
          void runTests();
          break;
        case 'toggleHelp':
          setHelp((open) => !open);
          break;
        case 'closeHelp':
          setHelp(() => false);
          break;
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setHelp]);
}

export function App() {
  const [help, setHelp] = useState(false);
  useSessionConnection();
  useBarHistories();
  useTheme();
  useAlertMarkers();
  useShortcuts(setHelp);

  const load = useSession((s) => s.load);
  const error = useSession((s) => s.error);
  const settings = useSession((s) => s.settings);
  const activeTab = settings?.activeTab ?? 'prices';
  const savedWidth = settings?.layout.sidebarWidth ?? 260;
  const [width, setWidth] = useState<number | null>(null);
  const sidebarWidth = clampSidebarWidth(width ?? savedWidth);

  return (
    <div className="app" style={{ gridTemplateColumns: `${sidebarWidth}px 5px minmax(0, 1fr)` }}>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          PairDesk
        </div>
        <nav className="tabs" role="tablist" aria-label="Views">
          {TABS.map((tab) => (
            <button
              key={tab.id}
              type="button"
              role="tab"
              id={`tab-${tab.id}`}
              aria-selected={activeTab === tab.id}
              aria-controls={`panel-${tab.id}`}
              className={activeTab === tab.id ? 'tab active' : 'tab'}
              data-testid={`tab-${tab.id}`}
              title={tab.hint}
              disabled={!settings}
              onClick={() => void saveSettings({ activeTab: tab.id })}
            >
              {tab.label}
            </button>
          ))}
        </nav>
        <div className="topbar-right">
          {settings && (
            <span className="topbar-pair">
              <span className="pair-role pair-role-a">A</span>
              {settings.pairA}
              <span className="muted">/</span>
              <span className="pair-role pair-role-b">B</span>
              {settings.pairB}
              <span className="chart-tf">{settings.timeframe}</span>
            </span>
          )}
          <OpenFileButton className="topbar-open" />
          <AlertBell />
          <button
            type="button"
            className="icon-button theme-toggle"
            data-testid="theme-toggle"
            aria-label={`Switch to ${settings?.theme === 'light' ? 'dark' : 'light'} theme (T)`}
            title={`Switch to ${settings?.theme === 'light' ? 'dark' : 'light'} theme (T)`}
            disabled={!settings}
            onClick={toggleTheme}
          >
            {settings?.theme === 'light' ? '☾' : '☀'}
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Keyboard shortcuts (?)"
            title="Keyboard shortcuts (?)"
            onClick={() => setHelp((open) => !open)}
          >
            ?
          </button>
        </div>
      </header>
      <Sidebar />
      <Splitter
        width={sidebarWidth}
        onChange={setWidth}
        onCommit={(w) => {
          const layout = sessionStore.getState().settings?.layout;
          if (layout && layout.sidebarWidth !== w)
            void saveSettings({ layout: { sidebarWidth: w } }); // window bounds are main's to save
        }}
      />
      <main className="content">
        <TransportBanner />
        <LiveErrorBanner />
        <MessageBanners />
        {error && (
          <div className="banner banner-error" role="alert" data-testid="app-error">
            <div className="banner-text">{error}</div>
          </div>
        )}
        {load === 'loading' && !settings && <p className="muted loading">Loading session…</p>}
        {settings && (
          <div
            className="tab-panel"
            role="tabpanel"
            id={`panel-${activeTab}`}
            aria-labelledby={`tab-${activeTab}`}
          >
            {activeTab === 'prices' ? (
              <PricesTab />
            ) : activeTab === 'alerts' ? (
              <AlertsTab />
            ) : activeTab === 'data' ? (
              <DataTab />
            ) : (
              <AnalyticsTab />
            )}
          </div>
        )}
      </main>
      <StatusBar />
      <Toasts />
      <TransferPanel />
      <ImportSheet />
      <DropOverlay />
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
    </div>
  );
}
