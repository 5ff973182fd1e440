/**
 * The import sheet: uploads in flight, then each picked file (or zip member) with its detected
 * format and why, container and symbols; a symbol field where the name does not say it, the
 * dataset name, and Import / Replay. Unrecognised files show the reason and are left out.
 */
import { useEffect, useId, useRef } from 'react';
import type { FileInspection } from '../../../core/contract/contract';
import { closeImportSheet, importSheetFiles, replaySheetFiles } from '../../fileActions';
import { formatBytes } from '../../lib/format';
import { REPLAY_SPEEDS } from '../../lib/transferText';
import {
  canReplay,
  importBlocker,
  importStore,
  symbolError,
  useImportSheet,
} from '../../state/importStore';
import type { UploadEntry } from '../../state/importStore';

const FORMAT_LABEL: Record<NonNullable<FileInspection['format']>, string> = {
  'ndjson-raw': 'Binance capture (NDJSON)',
  'ndjson-combined': 'Binance capture (combined NDJSON)',
  aggTrades: 'aggTrades CSV',
  trades: 'trades CSV',
  klines: 'klines CSV (bars)',
  bookTicker: 'bookTicker CSV (quotes)',
  'pairdesk-ticks': 'PairDesk ticks export',
  'pairdesk-bars': 'PairDesk bars export',
  'pairdesk-analytics': 'PairDesk analytics export',
  'ohlc-csv': 'OHLC CSV (bars)',
};

export function ImportSheet() {
  const phase = useImportSheet((s) => s.phase);
  const titleId = useId();
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (phase !== 'closed') close.current?.focus();
  }, [phase]);
  if (phase === 'closed') return null;
  return (
    <div className="overlay" role="presentation">
      <div
        className="dialog import-sheet"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="import-sheet"
        onKeyDown={(e) => {
          if (e.key === 'Escape') closeImportSheet();
        }}
      >
        <header className="dialog-header">
          <h2 id={titleId}>Import files</h2>
          <button
            ref={close}
            type="button"
            className="icon-button"
            aria-label="Close"
            onClick={closeImportSheet}
          >
            ×
          </button>
        </header>
        <SheetBody />
      </div>
    </div>
  );
}

function SheetBody() {
  const phase = useImportSheet((s) => s.phase);
  const uploads = useImportSheet((s) => s.uploads);
  const error = useImportSheet((s) => s.error);
  if (phase === 'uploading') {
    return (
      <div className="import-uploads" data-testid="import-uploads">
        {uploads.length === 0 ? (
          <p className="muted">Opening the files…</p>
        ) : (
          uploads.map((u, i) => <UploadRow key={`${i}-${u.name}`} upload={u} />)
        )}
        {error && <SheetError error={error} />}
      </div>
    );
  }
  if (phase === 'inspecting') {
    return (
      <p className="muted" data-testid="import-inspecting">
        Reading the first lines of each file…
      </p>
    );
  }
  return <InspectionForm />;
}

function UploadRow({ upload }: { upload: UploadEntry }) {
  const fraction = upload.total > 0 ? upload.loaded / upload.total : 0;
  return (
    <div className="import-upload" data-testid="import-upload">
      <span className="import-upload-name">{upload.name}</span>
      <progress max={1} value={fraction} aria-label={`Uploading ${upload.name}`} />
      <span className="num muted">
        {formatBytes(upload.loaded)} of {formatBytes(upload.total)}
      </span>
    </div>
  );
}

function SheetError({ error }: { error: string }) {
  return (
    <div className="banner banner-error import-error" role="alert" data-testid="import-error">
      <div className="banner-text">{error}</div>
    </div>
  );
}

function InspectionForm() {
  const inspections = useImportSheet((s) => s.inspections);
  const symbols = useImportSheet((s) => s.symbols);
  const name = useImportSheet((s) => s.name);
  const speed = useImportSheet((s) => s.speed);
  const error = useImportSheet((s) => s.error);
  const starting = useImportSheet((s) => s.phase === 'starting');
  const nameId = useId();
  const speedId = useId();
  const blocker = importBlocker({ inspections, symbols, name });
  const replayable = canReplay(inspections);
  // One symbol field per file, on its first row (a zip's members share the file's symbol).
  const asked = new Set<string>();
  return (
    <form
      className="import-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!blocker && !starting) void importSheetFiles();
      }}
    >
      <div className="import-table" role="table" aria-label="Files to import">
        <div className="import-row import-head" role="row">
          {['File', 'Format', 'Container', 'Size', 'Symbols'].map((h) => (
            <span key={h} role="columnheader">
              {h}
            </span>
          ))}
        </div>
        {inspections.map((i) => {
          const askHere = i.format !== null && i.needsSymbol && !asked.has(i.fileId);
          if (askHere) asked.add(i.fileId);
          return (
            <InspectionRow
              key={`${i.fileId}:${i.member ?? ''}`}
              inspection={i}
              askSymbol={askHere}
              symbol={symbols[i.fileId] ?? ''}
            />
          );
        })}
      </div>
      <div className="import-fields">
        <label htmlFor={nameId}>Dataset name</label>
        <input
          id={nameId}
          data-testid="import-name"
          value={name}
          maxLength={200}
          onChange={(e) => importStore.getState().setName(e.target.value)}
        />
        {replayable && (
          <>
            <label htmlFor={speedId}>Replay speed</label>
            <select
              id={speedId}
              data-testid="import-speed"
              value={speed}
              onChange={(e) => importStore.getState().setSpeed(Number(e.target.value))}
            >
              {REPLAY_SPEEDS.map((s) => (
                <option key={s} value={s}>
                  {s}×
                </option>
              ))}
            </select>
          </>
        )}
      </div>
      {error && <SheetError error={error} />}
      <div className="dialog-actions">
        {blocker && (
          <span className="muted small" data-testid="import-blocker">
            {blocker}
          </span>
        )}
        <button type="button" onClick={closeImportSheet}>
          Cancel
        </button>
        <button
          type="button"
          data-testid="import-replay"
          disabled={!!blocker || !replayable || starting}
          title={
            replayable
              ? 'Play the files at the chosen speed through the feed path'
              : 'Only trade files (captures, aggTrades, trades) can be replayed'
          }
          onClick={() => void replaySheetFiles()}
        >
          Replay
        </button>
        <button
          type="submit"
          className="primary"
          data-testid="import-start"
          disabled={!!blocker || starting}
          title="Import into a new dataset as fast as possible"
        >
          {starting ? 'Starting…' : 'Import'}
        </button>
      </div>
    </form>
  );
}

function InspectionRow({
  inspection: i,
  askSymbol,
  symbol,
}: {
  inspection: FileInspection;
  askSymbol: boolean;
  symbol: string;
}) {
  const problem = askSymbol ? symbolError(symbol) : null;
  const fieldId = useId();
  return (
    <div
      className={i.format === null ? 'import-row import-row-unknown' : 'import-row'}
      role="row"
      data-testid="import-file"
      data-format={i.format ?? 'unknown'}
    >
      <span className="import-file-name" title={i.member ? `${i.name}:${i.member}` : i.name}>
        {i.name}
        {i.member && <span className="muted">:{i.member}</span>}
      </span>
      <span>
        <span className={i.format === null ? 'import-format-unknown' : 'strong'}>
          {i.format === null ? 'Not recognised — left out' : FORMAT_LABEL[i.format]}
        </span>
        {i.barsTimeframe && <span className="muted"> · {i.barsTimeframe} bars</span>}
        <span className="import-reason muted" data-testid="import-reason">
          {i.reason}
        </span>
      </span>
      <span>{i.container}</span>
      <span className="num">{formatBytes(i.sizeBytes)}</span>
      <span>
        {askSymbol ? (
          <span className="import-symbol">
            <label htmlFor={fieldId} className="visually-hidden">
              Symbol of {i.name}
            </label>
            <input
              id={fieldId}
              data-testid="import-symbol"
              placeholder="e.g. BTCUSDT"
              value={symbol}
              aria-invalid={problem !== null}
              onChange={(e) => importStore.getState().setSymbol(i.fileId, e.target.value)}
            />
            {problem && symbol !== '' && <span className="field-error">{problem}</span>}
          </span>
        ) : i.symbols.length > 0 ? (
          i.symbols.join(', ')
        ) : (
          <span className="muted">—</span>
        )}
      </span>
    </div>
  );
}
