/**
 * The reject report of one import (#10): every rejected line counted by reason, the first
 * {@link KEPT_REJECTS} kept for the result, and ALL of them written to
 * `<dataDir>/reports/<reportId>.csv` (`file,line,reason,field,message`) so the full list can be
 * exported. The file is created on the first rejection only, written synchronously in ~64 KiB
 * appends (the import loop is synchronous between chunks; a write stream would buffer without
 * bound), and removed by {@link RejectReport.discard} when the import is cancelled or fails.
 */
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { RejectedLine, RejectSummary } from '../../../core/contract/files';
import { csvRow } from '../../../core/csv/csvWriter';

export const REJECT_REPORT_HEADER = ['file', 'line', 'reason', 'field', 'message'] as const;

/** Rejections kept verbatim in the result (all are counted and written). */
export const KEPT_REJECTS = 100;

const FLUSH_CHARS = 1 << 16;

/** The folder reject reports live in. */
export function reportsDir(dataDir: string): string {
  return join(dataDir, 'reports');
}

/** Where the report `reportId` is (ids are made here: letters, digits, `-` only). */
export function reportPath(dataDir: string, reportId: string): string {
  return join(reportsDir(dataDir), `${reportId}.csv`);
}

/** A file-name-safe report id from a job id. */
export function reportIdFor(jobId: string): string {
  const safe = jobId.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 64);
  return `import-${safe.length > 0 ? safe : 'job'}`;
}

export class RejectReport {
  total = 0;
  readonly byReason: Record<string, number> = {};
  readonly first: RejectedLine[] = [];
  private fd: number | null = null;
  private pending = '';
  private readonly path: string;
  private readonly dir: string;

  constructor(
    dataDir: string,
    readonly reportId: string,
  ) {
    this.dir = reportsDir(dataDir);
    this.path = reportPath(dataDir, reportId);
  }

  /** Counts and records one rejected line. */
  add(file: string, line: number, reason: string, field: string | undefined, message: string) {
    this.total++;
    this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
    if (this.first.length < KEPT_REJECTS) {
      const r: RejectedLine = { file, line, reason, message };
      if (field !== undefined) r.field = field;
      this.first.push(r);
    }
    this.pending += csvRow([file, line, reason, field, message]);
    if (this.pending.length >= FLUSH_CHARS) this.write();
  }

  /** Writes what is buffered and closes the file; the summary for the result. */
  finish(): RejectSummary {
    this.write();
    this.close();
    return {
      total: this.total,
      byReason: { ...this.byReason },
      first: [...this.first],
      reportId: this.total > 0 ? this.reportId : null,
    };
  }

  /** Drops the report (cancelled or failed import): nothing is left on disk. */
  discard(): void {
    this.pending = '';
    this.close();
    rmSync(this.path, { force: true });
  }

  private write(): void {
    if (this.pending.length === 0) return;
    if (this.fd === null) {
      mkdirSync(this.dir, { recursive: true });
      this.fd = openSync(this.path, 'w');
      writeSync(this.fd, csvRow(REJECT_REPORT_HEADER));
    }
    writeSync(this.fd, this.pending);
    this.pending = '';
  }

  private close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
