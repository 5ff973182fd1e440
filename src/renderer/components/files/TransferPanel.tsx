/**
 * Progress of imports, replays and exports (driven by `transfer` events): a bar with the
 * percentage, lines/s, ETA and state; Cancel for imports and exports; Pause/Resume, speed and
 * Restart for a replay. Below: the last import's result card and the last export's outcome.
 */
import type { TransferProgress } from '../../../core/contract/contract';
import { cancelJob, controlReplay } from '../../fileActions';
import {
  bytesText,
  countText,
  etaText,
  isActive,
  percent,
  rateText,
  REPLAY_SPEEDS,
  STATE_LABEL,
  titleText,
} from '../../lib/transferText';
import { useSession } from '../../state/sessionStore';
import { transfersStore, useTransfers } from '../../state/transfersStore';
import { ImportResultCard } from './ImportResultCard';

export function TransferPanel() {
  const jobs = useTransfers((s) => s.jobs);
  const result = useTransfers((s) => s.importResult);
  const exportMessage = useTransfers((s) => s.exportMessage);
  if (jobs.length === 0 && !result && !exportMessage) return null;
  return (
    <aside className="transfer-panel" aria-label="Transfers" data-testid="transfer-panel">
      {jobs.map((job) => (
        <TransferRow key={job.jobId} job={job} />
      ))}
      {result && <ImportResultCard result={result} />}
      {exportMessage && (
        <div className="transfer-message" role="status" data-testid="export-message">
          <span>{exportMessage}</span>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss"
            onClick={() => transfersStore.getState().setExportMessage(null)}
          >
            ×
          </button>
        </div>
      )}
    </aside>
  );
}

function TransferRow({ job }: { job: TransferProgress }) {
  const pct = percent(job.fraction);
  const active = isActive(job);
  return (
    <div
      className={`transfer transfer-${job.state}`}
      data-testid="transfer"
      data-kind={job.kind}
      data-state={job.state}
    >
      <div className="transfer-head">
        <span className="transfer-title" title={job.label}>
          {titleText(job)}
        </span>
        <span className={`transfer-state transfer-state-${job.state}`} data-testid="transfer-state">
          {STATE_LABEL[job.state]}
        </span>
      </div>
      <div
        className="transfer-bar"
        role="progressbar"
        aria-label={titleText(job)}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(pct === null ? {} : { 'aria-valuenow': pct })}
      >
        <div
          className={pct === null ? 'transfer-fill indeterminate' : 'transfer-fill'}
          style={{ width: pct === null ? undefined : `${pct}%` }}
        />
      </div>
      <div className="transfer-figures muted num">
        <span data-testid="transfer-percent">{pct === null ? '—' : `${pct} %`}</span>
        <span>{countText(job)}</span>
        {active && <span data-testid="transfer-rate">{rateText(job)}</span>}
        {active && <span>{etaText(job)}</span>}
        <span>{bytesText(job)}</span>
      </div>
      {job.message && (
        <div className="transfer-message-text" data-testid="transfer-message">
          {job.message}
        </div>
      )}
      <div className="transfer-actions">
        {job.kind === 'replay' && active && <ReplayControls />}
        {job.kind !== 'replay' && active && (
          <button
            type="button"
            data-testid="transfer-cancel"
            onClick={() => void cancelJob(job.jobId)}
          >
            Cancel
          </button>
        )}
        {!active && (
          <button
            type="button"
            className="link-button"
            data-testid="transfer-dismiss"
            onClick={() => transfersStore.getState().dismiss(job.jobId)}
          >
            Dismiss
          </button>
        )}
      </div>
    </div>
  );
}

/** Pause/Resume, speed and Restart of the running replay (its state from the source). */
function ReplayControls() {
  const paused = useSession((s) => s.source?.paused === true);
  const speed = useSession((s) => s.source?.speed ?? null);
  const speeds: number[] = [...REPLAY_SPEEDS];
  if (speed !== null && !speeds.includes(speed)) speeds.push(speed);
  return (
    <span className="replay-controls">
      <button
        type="button"
        data-testid="replay-pause"
        onClick={() => void controlReplay({ action: paused ? 'resume' : 'pause' })}
      >
        {paused ? 'Resume' : 'Pause'}
      </button>
      <select
        aria-label="Replay speed"
        data-testid="replay-speed"
        value={speed ?? 10}
        onChange={(e) => void controlReplay({ action: 'speed', speed: Number(e.target.value) })}
      >
        {speeds
          .sort((a, b) => a - b)
          .map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
      </select>
      <button
        type="button"
        data-testid="replay-restart"
        onClick={() => void controlReplay({ action: 'restart' })}
      >
        Restart
      </button>
    </span>
  );
}
