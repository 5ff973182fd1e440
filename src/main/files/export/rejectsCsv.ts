/**
 * An import's full reject report (`<dataDir>/reports/<reportId>.csv`, header
 * `file,line,reason,field,message`, written by the importer) copied through a CsvOutput, so it
 * gets the same progress, cancel and save/download handling as every other export.
 */
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CsvOutput } from './csvOutput';
import { REPORT_ID_PATTERN } from './fileNames';

/** Where the importer writes the report of `reportId`; throws a plain Error for a bad id. */
export function rejectsReportPath(dataDir: string, reportId: string): string {
  if (!REPORT_ID_PATTERN.test(reportId)) throw new Error(`"${reportId}" is not a report id`);
  return join(dataDir, 'reports', `${reportId}.csv`);
}

/** Size of the report, or a plain Error when there is none (e.g. removed with the data folder). */
export function rejectsReportSize(path: string, reportId: string): number {
  try {
    return statSync(path).size;
  } catch {
    throw new Error(`the reject report ${reportId} no longer exists`);
  }
}

/** Copies the report; `out.rows` counts its lines after the header. */
export async function writeRejectsCsv(out: CsvOutput, reportPath: string): Promise<void> {
  const total = statSync(reportPath).size;
  let read = 0;
  let headerSeen = false;
  const input = createReadStream(reportPath, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      let lines = 0;
      for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) lines++;
      if (!headerSeen && lines > 0) {
        headerSeen = true;
        lines--;
      }
      out.add(chunk, lines);
      read += Buffer.byteLength(chunk);
      out.fraction = total > 0 ? read / total : null;
      await out.flush();
    }
  } finally {
    input.destroy();
  }
}
