/** Source, symbols, pair and analysis settings; every change goes through `settings.update`. */
import { useEffect, useId, useState } from 'react';
import type { HedgeMethod, ReplayFile, SourceKind } from '../../core/contract/contract';
import type { Timeframe } from '../../core/market/types';
import { TIMEFRAMES } from '../../core/market/types';
import { addSymbol, removeSymbol, saveSettings, selectSource } from '../actions';
import { formatPriceFast } from '../charts/priceFormat';
import { formatBytes, formatInteger } from '../lib/format';
import { sourceStatusText } from '../lib/sourceStatus';
import { alertLevelError, NUMBER_RULES } from '../lib/validation';
import type { AlertLevels } from '../lib/validation';
import { useSession } from '../state/sessionStore';
import { getAppApi } from '../transport';
import { NumberField } from './NumberField';

const SOURCE_LABELS: Record<SourceKind, string> = {
  live: 'Live',
  demo: 'Simulated',
  replay: 'Replay',
};

const HEDGE_LABELS: Record<HedgeMethod, string> = {
  static: 'Static OLS',
  rolling: 'Rolling OLS',
  kalman: 'Kalman filter',
};

export function Sidebar() {
  const settings = useSession((s) => s.settings);
  if (!settings) {
    return (
      <aside className="sidebar" aria-label="Settings">
        <p className="muted sidebar-loading">Loading settings…</p>
      </aside>
    );
  }
  return (
    <aside className="sidebar" aria-label="Settings">
      <SourceSection />
      <SymbolsSection />
      <PairSection />
      <AnalysisSection />
      <AlertsSection />
    </aside>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  const id = useId();
  return (
    <section className="side-section" aria-labelledby={id}>
      <h2 id={id} className="side-title">
        {title}
      </h2>
      {children}
    </section>
  );
}

function SourceSection() {
  const source = useSession((s) => s.source);
  const replaySpeed = useSession((s) => s.settings!.replaySpeed);
  const [files, setFiles] = useState<ReplayFile[] | null>(null);
  const [filesError, setFilesError] = useState<string | null>(null);
  const [chosenKind, setChosenKind] = useState<SourceKind | null>(null);
  const kind = chosenKind ?? source?.kind ?? 'live';
  const fileId = useId();

  useEffect(() => {
    if (kind !== 'replay' || files !== null) return;
    getAppApi()
      .invoke('replay.files', null)
      .then(
        (list) => setFiles(list),
        (e: unknown) => setFilesError(e instanceof Error ? e.message : String(e)),
      );
  }, [kind, files]);

  const choose = (next: SourceKind) => {
    setChosenKind(next);
    if (next !== 'replay') {
      setChosenKind(null);
      if (next !== source?.kind) void selectSource(next);
    }
  };
  // Files are picked by the id main gave them; the path stays in main.
  const currentFile = source?.kind === 'replay' ? source.fileId : null;

  return (
    <Section title="Source">
      <div className="segmented" role="radiogroup" aria-label="Data source">
        {(['live', 'demo', 'replay'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="radio"
            aria-checked={kind === k}
            className={kind === k ? 'active' : ''}
            data-testid={`source-${k}`}
            onClick={() => choose(k)}
          >
            {SOURCE_LABELS[k]}
          </button>
        ))}
      </div>
      {source && (
        <div className="source-line">
          {/* A dataset opened from the Data tab is "stored": nothing flows, nothing ended. */}
          <span className={`source-state source-state-${source.stored ? 'ended' : source.state}`}>
            {source.stored ? 'stored' : source.state}
          </span>
          <span className="source-name" title={sourceStatusText(source, null, false).text}>
            {source.state === 'ended' && source.tradesReplayed !== null
              ? `${source.label} · ${formatInteger(source.tradesReplayed)} trades`
              : source.label}
          </span>
        </div>
      )}
      {kind === 'replay' && (
        <div className="replay">
          <div className="field">
            <label htmlFor={fileId}>Capture file</label>
            {filesError ? (
              <div className="field-error">{filesError}</div>
            ) : files === null ? (
              <div className="muted small">Loading files…</div>
            ) : files.length === 0 ? (
              <div className="muted small">No capture files found.</div>
            ) : (
              <select
                id={fileId}
                value={currentFile ?? ''}
                onChange={(e) => {
                  if (e.target.value) void selectSource('replay', e.target.value, replaySpeed);
                }}
              >
                <option value="" disabled>
                  Choose a file…
                </option>
                {files.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.name} ({formatBytes(f.sizeBytes)})
                  </option>
                ))}
              </select>
            )}
          </div>
          <NumberField
            label="Replay speed"
            value={replaySpeed}
            rule={NUMBER_RULES.replaySpeed}
            suffix="×"
            onCommit={(speed) => {
              void saveSettings({ replaySpeed: speed });
              if (source?.kind === 'replay' && currentFile) {
                void selectSource('replay', currentFile, speed);
              }
            }}
          />
        </div>
      )}
    </Section>
  );
}

/** One symbol's last price: re-renders alone on price events (20 Hz), not the whole list. */
function SymbolPrice({ symbol }: { symbol: string }) {
  const price = useSession((s) => s.prices[symbol]?.price ?? null);
  return <span className="symbol-price num">{price !== null ? formatPriceFast(price) : '—'}</span>;
}

function SymbolsSection() {
  const symbols = useSession((s) => s.symbols);
  const pairA = useSession((s) => s.settings!.pairA);
  const pairB = useSession((s) => s.settings!.pairB);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputId = useId();

  const submit = async () => {
    setBusy(true);
    const message = await addSymbol(draft);
    setBusy(false);
    setError(message);
    if (message === null) setDraft('');
  };

  return (
    <Section title="Symbols">
      <ul className="symbol-list">
        {symbols.map((symbol) => {
          const role = symbol === pairA ? 'A' : symbol === pairB ? 'B' : null;
          return (
            <li key={symbol} className="symbol-row" data-testid={`symbol-row-${symbol}`}>
              <span className="symbol-name">
                {symbol}
                {role && (
                  <span className={`pair-role pair-role-${role.toLowerCase()}`}>{role}</span>
                )}
              </span>
              <SymbolPrice symbol={symbol} />
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove ${symbol}`}
                title={`Remove ${symbol}`}
                onClick={async () => setError(await removeSymbol(symbol))}
              >
                ×
              </button>
            </li>
          );
        })}
      </ul>
      <form
        className="add-symbol"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor={inputId} className="visually-hidden">
          Add a symbol
        </label>
        <input
          id={inputId}
          type="text"
          placeholder="Add symbol, e.g. SOLUSDT"
          autoComplete="off"
          spellCheck={false}
          value={draft}
          data-testid="symbol-input"
          aria-invalid={error !== null}
          onChange={(e) => {
            setDraft(e.target.value.toUpperCase());
            setError(null);
          }}
        />
        <button type="submit" data-testid="symbol-add" disabled={busy}>
          Add
        </button>
      </form>
      {error && (
        <div className="field-error" role="alert" data-testid="symbol-error">
          {error}
        </div>
      )}
    </Section>
  );
}

function PairSection() {
  const symbols = useSession((s) => s.symbols);
  const pairA = useSession((s) => s.settings!.pairA);
  const pairB = useSession((s) => s.settings!.pairB);
  const timeframe = useSession((s) => s.settings!.timeframe);
  const [error, setError] = useState<string | null>(null);
  const idA = useId();
  const idB = useId();

  const pick = (which: 'pairA' | 'pairB', value: string) => {
    const other = which === 'pairA' ? pairB : pairA;
    if (value === other) {
      setError('Pair A and pair B must be different symbols');
      return;
    }
    setError(null);
    void saveSettings({ [which]: value });
  };

  return (
    <Section title="Pair">
      <div className="pair-grid">
        <div className="field">
          <label htmlFor={idA}>
            <span className="pair-role pair-role-a">A</span> Leg
          </label>
          <select id={idA} value={pairA} onChange={(e) => pick('pairA', e.target.value)}>
            {withCurrent(symbols, pairA).map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={idB}>
            <span className="pair-role pair-role-b">B</span> Leg
          </label>
          <select id={idB} value={pairB} onChange={(e) => pick('pairB', e.target.value)}>
            {withCurrent(symbols, pairB).map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </div>
      </div>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
      <div className="field">
        <span className="field-label" id="timeframe-label">
          Timeframe
        </span>
        <div className="segmented" role="radiogroup" aria-labelledby="timeframe-label">
          {TIMEFRAMES.map((tf: Timeframe, i) => (
            <button
              key={tf}
              type="button"
              role="radio"
              aria-checked={timeframe === tf}
              className={timeframe === tf ? 'active' : ''}
              data-testid={`timeframe-${tf}`}
              title={`${tf} bars (key ${i + 1})`}
              onClick={() => void saveSettings({ timeframe: tf })}
            >
              {tf}
            </button>
          ))}
        </div>
      </div>
    </Section>
  );
}

function withCurrent(symbols: string[], current: string): string[] {
  return symbols.includes(current) ? symbols : [current, ...symbols];
}

function AnalysisSection() {
  const settings = useSession((s) => s.settings!);
  const hedgeId = useId();
  return (
    <Section title="Analysis">
      <div className="pair-grid">
        <NumberField
          label="Rolling window"
          value={settings.rollingWindow}
          rule={NUMBER_RULES.rollingWindow}
          suffix="bars"
          testId="input-rolling-window"
          onCommit={(v) => void saveSettings({ rollingWindow: v })}
        />
        <NumberField
          label="Lookback"
          value={settings.lookback}
          rule={NUMBER_RULES.lookback}
          suffix="bars"
          testId="input-lookback"
          onCommit={(v) => void saveSettings({ lookback: v })}
        />
      </div>
      <div className="pair-grid">
        <NumberField
          label="Alert at |z| ≥"
          value={settings.alertThreshold}
          rule={NUMBER_RULES.alertThreshold}
          testId="input-alert-threshold"
          title="Breach level K of the z-score rule"
          check={(v) => alertLevelError('threshold', v, levelsOf(settings))}
          onCommit={(v) => void saveSettings({ alertThreshold: v })}
        />
        <div className="field">
          <label htmlFor={hedgeId}>Hedge ratio</label>
          <select
            id={hedgeId}
            value={settings.hedgeMethod}
            onChange={(e) => void saveSettings({ hedgeMethod: e.target.value as HedgeMethod })}
          >
            {(Object.keys(HEDGE_LABELS) as HedgeMethod[]).map((m) => (
              <option key={m} value={m}>
                {HEDGE_LABELS[m]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="pair-grid">
        <NumberField
          label="Kalman δ"
          value={settings.kalmanDelta}
          rule={NUMBER_RULES.kalmanDelta}
          testId="input-kalman-delta"
          onCommit={(v) => void saveSettings({ kalmanDelta: v })}
        />
        <NumberField
          label="Kalman Ve"
          value={settings.kalmanVe}
          rule={NUMBER_RULES.kalmanVe}
          testId="input-kalman-ve"
          onCommit={(v) => void saveSettings({ kalmanVe: v })}
        />
      </div>
    </Section>
  );
}

function levelsOf(settings: {
  alertRearm: number;
  alertThreshold: number;
  alertCritical: number;
}): AlertLevels {
  return {
    rearm: settings.alertRearm,
    threshold: settings.alertThreshold,
    critical: settings.alertCritical,
  };
}

const NOTIFY_TOGGLES = [
  { key: 'notifyLive', label: 'Live' },
  { key: 'notifyDemo', label: 'Simulated' },
  { key: 'notifyReplay', label: 'Replay' },
] as const;

/** The alert rules' levels and which sources notify (the z-score breach level K is above). */
function AlertsSection() {
  const settings = useSession((s) => s.settings!);
  const levels = levelsOf(settings);
  return (
    <Section title="Alerts">
      <div className="pair-grid">
        <NumberField
          label="Re-arm at |z| ≤"
          title="Re-arm level R: after a breach the z-score rule fires again only once |z| fell to R"
          value={settings.alertRearm}
          rule={NUMBER_RULES.alertRearm}
          testId="input-alert-rearm"
          check={(v) => alertLevelError('rearm', v, levels)}
          onCommit={(v) => void saveSettings({ alertRearm: v })}
        />
        <NumberField
          label="Escalate at |z| ≥"
          title="Critical level K_crit: a breach that reaches it escalates (once per breach)"
          value={settings.alertCritical}
          rule={NUMBER_RULES.alertCritical}
          testId="input-alert-critical"
          check={(v) => alertLevelError('critical', v, levels)}
          onCommit={(v) => void saveSettings({ alertCritical: v })}
        />
      </div>
      <div className="pair-grid">
        <NumberField
          label="Correlation below"
          title="The correlation rule fires when the rolling ρ of log returns drops below this level"
          value={settings.correlationAlertLevel}
          rule={NUMBER_RULES.correlationAlertLevel}
          testId="input-correlation-level"
          onCommit={(v) => void saveSettings({ correlationAlertLevel: v })}
        />
        <NumberField
          label="Feed silent for"
          title="The feed rule fires when a live source sends nothing for this long"
          value={settings.feedSilenceSeconds}
          rule={NUMBER_RULES.feedSilenceSeconds}
          suffix="s"
          testId="input-feed-silence"
          onCommit={(v) => void saveSettings({ feedSilenceSeconds: v })}
        />
      </div>
      <div className="field">
        <span className="field-label" id="notify-label">
          Notify for
        </span>
        <div className="notify-toggles" role="group" aria-labelledby="notify-label">
          {NOTIFY_TOGGLES.map(({ key, label }) => (
            <label key={key} className="check">
              <input
                type="checkbox"
                checked={settings[key]}
                data-testid={`input-${key}`}
                onChange={(e) => void saveSettings({ [key]: e.target.checked })}
              />
              {label}
            </label>
          ))}
        </div>
      </div>
    </Section>
  );
}
