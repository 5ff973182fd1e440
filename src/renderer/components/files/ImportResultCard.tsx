/**
 * An import's end: ticks, bars, rejects by reason, the first rejected lines with file:line,
 * field and message, per-file errors (a truncated archive), and "Export full report".
 */
import type { ImportResult } from '../../../core/contract/contract';
import { exportCsv } from '../../fileActions';
import { formatInteger } from '../../lib/format';
import { transfersStore } from '../../state/transfersStore';

export function ImportResultCard({ result }: { result: ImportResult }) {
  const { rejects } = result;
  const reasons = Object.entries(rejects.byReason).sort((a, b) => b[1] - a[1]);
  const fileErrors = result.files.filter((f) => f.error !== null);
  const reportId = rejects.reportId;
  return (
    <section
      className={`import-result import-result-${result.state}`}
      aria-label="Import result"
      data-testid="import-result"
      data-state={result.state}
    >
      <header className="import-result-head">
        <span className="strong">
          Import {result.state === 'done' ? 'finished' : result.state}
          {result.datasetId !== null && ` · dataset ${result.datasetId}`}
        </span>
        <button
          type="button"
          className="icon-button"
          aria-label="Dismiss"
          onClick={() => transfersStore.getState().setImportResult(null)}
        >
          ×
        </button>
      </header>
      <p data-testid="import-result-message">{result.message}</p>
      <dl className="import-result-figures">
        <dt>Ticks</dt>
        <dd className="num" data-testid="import-result-ticks">
          {formatInteger(result.ticks)}
        </dd>
        <dt>Bars</dt>
        <dd className="num">{formatInteger(result.bars)}</dd>
        <dt>Rejected</dt>
        <dd className="num" data-testid="import-result-rejects">
          {formatInteger(rejects.total)}
        </dd>
        <dt>Time</dt>
        <dd className="num">{(result.elapsedMs / 1000).toFixed(1)} s</dd>
      </dl>
      {fileErrors.map((f) => (
        <p key={`${f.name}:${f.member ?? ''}`} className="import-result-error" role="alert">
          {f.member ? `${f.name}:${f.member}` : f.name}: {f.error}
        </p>
      ))}
      {reasons.length > 0 && (
        <ul className="import-result-reasons" data-testid="import-result-reasons">
          {reasons.map(([reason, n]) => (
            <li key={reason}>
              <span className="num">{formatInteger(n)}</span> {reason}
            </li>
          ))}
        </ul>
      )}
      {rejects.first.length > 0 && (
        <details className="import-result-lines">
          <summary>
            First {formatInteger(rejects.first.length)} rejected line
            {rejects.first.length === 1 ? '' : 's'}
          </summary>
          <div className="reject-table" role="table" aria-label="Rejected lines">
            {rejects.first.map((r, i) => (
              <div key={i} className="reject-row" role="row" data-testid="reject-line">
                <span className="num">
                  {r.file}:{r.line}
                </span>
                <span>{r.field ?? '—'}</span>
                <span>{r.reason}</span>
                <span className="reject-message">{r.message}</span>
              </div>
            ))}
          </div>
        </details>
      )}
      {reportId !== null && (
        <button
          type="button"
          data-testid="export-rejects"
          onClick={() => void exportCsv({ what: 'rejects', reportId })}
        >
          Export full report
        </button>
      )}
    </section>
  );
}
