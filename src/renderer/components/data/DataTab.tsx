/**
 * Data tab (the dataset manager): every stored dataset with its origin, label, symbols, time
 * range (UTC), ticks, bars, size and bars-only timeframe; Open, inline Rename, Export bars /
 * ticks, Delete with a confirmation naming it and its size (never the active one). Above the
 * table: Open file… and the exports of the current view.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { DatasetOrigin, DatasetSummary } from '../../../core/contract/contract';
import {
  barsVisibleRange,
  deleteStoredDataset,
  exportCsv,
  openStoredDataset,
  renameStoredDataset,
} from '../../fileActions';
import { formatBytes, formatInteger, formatUtcDateTime } from '../../lib/format';
import { datasetsStore, datasetTitle, useDatasets } from '../../state/datasetsStore';
import { barsExportRequest } from '../../state/exports';
import type { BarsScope } from '../../state/exports';
import { useSession } from '../../state/sessionStore';
import { OpenFileButton } from '../files/OpenFileButton';

const ORIGIN_LABEL: Record<DatasetOrigin, string> = {
  live: 'Live',
  demo: 'Simulated',
  replay: 'Replay',
  import: 'Import',
};

export function DataTab() {
  const [confirm, setConfirm] = useState<DatasetSummary | null>(null);
  return (
    <div className="data-layout">
      <DataToolbar />
      <DatasetTable onDelete={setConfirm} />
      {confirm && <DeleteDialog row={confirm} onClose={() => setConfirm(null)} />}
    </div>
  );
}

function DataToolbar() {
  const count = useDatasets((s) => s.rows.length);
  const message = useDatasets((s) => s.message);
  return (
    <div className="data-toolbar">
      <OpenFileButton className="primary" />
      <span className="muted" data-testid="datasets-count">
        {formatInteger(count)} dataset{count === 1 ? '' : 's'}
      </span>
      <ViewExport />
      {message && (
        <div className="alerts-message" role="status" data-testid="datasets-message">
          {message}
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss"
            onClick={() => datasetsStore.getState().setMessage(null)}
          >
            ×
          </button>
        </div>
      )}
    </div>
  );
}

/** Exports of what is viewed now: bars of the pair or one leg, visible range or everything. */
function ViewExport() {
  const settings = useSession((s) => s.settings);
  const [scope, setScope] = useState<BarsScope>('pair');
  const [whole, setWhole] = useState(false);
  const scopeId = useId();
  const rangeId = useId();
  if (!settings) return null;
  const range = () => (whole ? null : barsVisibleRange());
  return (
    <div className="data-export" role="group" aria-label="Export the current view">
      <label htmlFor={scopeId} className="muted">
        Export
      </label>
      <select
        id={scopeId}
        data-testid="export-scope"
        value={scope}
        onChange={(e) => setScope(e.target.value as BarsScope)}
      >
        <option value="pair">
          {settings.pairA}/{settings.pairB}
        </option>
        <option value="a">{settings.pairA}</option>
        <option value="b">{settings.pairB}</option>
      </select>
      <select
        id={rangeId}
        aria-label="Range"
        data-testid="export-range"
        value={whole ? 'whole' : 'visible'}
        onChange={(e) => setWhole(e.target.value === 'whole')}
      >
        <option value="visible">visible range</option>
        <option value="whole">whole dataset</option>
      </select>
      <button
        type="button"
        data-testid="export-view-bars"
        onClick={() => void exportCsv(barsExportRequest(settings, scope, range()))}
      >
        {settings.timeframe} bars CSV
      </button>
      <button
        type="button"
        data-testid="export-view-ticks"
        onClick={() => {
          const r = range();
          const symbols = barsExportRequest(settings, scope, null);
          void exportCsv({
            what: 'ticks',
            ...(symbols.what === 'bars' ? { symbols: symbols.symbols } : {}),
            ...(r ?? {}),
          });
        }}
      >
        Ticks CSV
      </button>
    </div>
  );
}

const COLUMNS = [
  'Origin',
  'Name',
  'Symbols',
  'From (UTC)',
  'To (UTC)',
  'Ticks',
  'Bars',
  'Size',
  'Bars only',
  '',
];

function DatasetTable({ onDelete }: { onDelete: (row: DatasetSummary) => void }) {
  const rows = useDatasets((s) => s.rows);
  const load = useDatasets((s) => s.load);
  const error = useDatasets((s) => s.error);
  const current = useSession((s) => s.source?.datasetId ?? null);
  return (
    <div className="data-table" role="table" aria-label="Stored datasets, newest first">
      <div className="data-row data-head" role="row">
        {COLUMNS.map((h, i) => (
          <span key={i} role="columnheader">
            {h}
          </span>
        ))}
      </div>
      <div className="data-viewport" data-testid="datasets-viewport">
        {rows.length === 0 ? (
          <div className="alerts-empty muted" data-testid="datasets-empty">
            {load === 'error'
              ? `The datasets cannot be read: ${error ?? 'unknown error'}`
              : load === 'ready'
                ? 'No datasets yet. Drop files here or use Open file… to import some.'
                : 'Loading the datasets…'}
          </div>
        ) : (
          rows.map((r) => (
            <DatasetRow key={r.id} row={r} viewing={r.id === current} onDelete={onDelete} />
          ))
        )}
      </div>
    </div>
  );
}

function DatasetRow({
  row,
  viewing,
  onDelete,
}: {
  row: DatasetSummary;
  viewing: boolean;
  onDelete: (row: DatasetSummary) => void;
}) {
  const timeframe = useSession((s) => s.settings?.timeframe ?? '1m');
  const [editing, setEditing] = useState(false);
  return (
    <div
      className={viewing ? 'data-row viewing' : 'data-row'}
      role="row"
      data-testid="dataset-row"
      data-dataset-id={row.id}
    >
      <span>
        <span className={`badge badge-origin-${row.origin}`}>{ORIGIN_LABEL[row.origin]}</span>
      </span>
      <span className="data-label" title={row.source ?? row.label}>
        {editing ? (
          <RenameField row={row} onDone={() => setEditing(false)} />
        ) : (
          <>
            <span data-testid="dataset-label">{row.label}</span>
            {viewing && <span className="muted small"> · viewing</span>}
            {row.active && <span className="muted small"> · in use</span>}
          </>
        )}
      </span>
      <span className="data-symbols">{row.symbols.join(', ') || '—'}</span>
      <span className="num">{row.firstMs === null ? '—' : formatUtcDateTime(row.firstMs)}</span>
      <span className="num">{row.lastMs === null ? '—' : formatUtcDateTime(row.lastMs)}</span>
      <span className="num">{formatInteger(row.ticks)}</span>
      <span className="num">{formatInteger(row.bars)}</span>
      <span className="num">{formatBytes(row.sizeBytes)}</span>
      <span>{row.barsOnly ?? '—'}</span>
      <span className="data-actions">
        <button
          type="button"
          className="link-button"
          data-testid="dataset-open"
          disabled={viewing}
          onClick={() => void openStoredDataset(row.id)}
        >
          Open
        </button>
        <button
          type="button"
          className="link-button"
          data-testid="dataset-rename"
          onClick={() => setEditing(true)}
        >
          Rename
        </button>
        <button
          type="button"
          className="link-button"
          data-testid="dataset-export-bars"
          disabled={row.symbols.length === 0}
          title={`Export ${row.barsOnly ?? timeframe} bars of the whole dataset`}
          onClick={() =>
            void exportCsv({
              what: 'bars',
              datasetId: row.id,
              symbols: row.symbols.slice(0, 2),
              timeframe: row.barsOnly ?? timeframe,
            })
          }
        >
          Bars
        </button>
        <button
          type="button"
          className="link-button"
          data-testid="dataset-export-ticks"
          disabled={row.ticks === 0}
          onClick={() => void exportCsv({ what: 'ticks', datasetId: row.id })}
        >
          Ticks
        </button>
        <button
          type="button"
          className="link-button danger"
          data-testid="dataset-delete"
          disabled={row.active}
          title={row.active ? 'In use: stop its source or import first' : 'Delete this dataset'}
          onClick={() => onDelete(row)}
        >
          Delete
        </button>
      </span>
    </div>
  );
}

function RenameField({ row, onDone }: { row: DatasetSummary; onDone: () => void }) {
  const [value, setValue] = useState(row.label);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.select(), []);
  const commit = async () => {
    if (value.trim() === row.label || (await renameStoredDataset(row.id, value))) onDone();
  };
  return (
    <input
      ref={input}
      className="data-rename"
      data-testid="dataset-rename-input"
      aria-label={`New name of dataset ${row.id}`}
      value={value}
      maxLength={200}
      onChange={(e) => setValue(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') void commit();
        if (e.key === 'Escape') onDone();
      }}
      onBlur={() => void commit()}
    />
  );
}

function DeleteDialog({ row, onClose }: { row: DatasetSummary; onClose: () => void }) {
  const titleId = useId();
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div className="overlay" role="presentation" onClick={onClose}>
      <div
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="delete-dialog"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
        }}
      >
        <header className="dialog-header">
          <h2 id={titleId}>Delete dataset?</h2>
        </header>
        <p data-testid="delete-dialog-text">
          Delete {datasetTitle(row)}? Its {formatInteger(row.ticks)} ticks and{' '}
          {formatInteger(row.bars)} bars are removed and the space reclaimed. This cannot be undone.
        </p>
        <div className="dialog-actions">
          <button ref={cancel} type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="danger"
            data-testid="delete-confirm"
            onClick={() => {
              onClose();
              void deleteStoredDataset(row);
            }}
          >
            Delete
          </button>
        </div>
      </div>
    </div>
  );
}
