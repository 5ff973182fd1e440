/**
 * The input layer of imports and replays (#10): a file on disk — plain text, gzip, or a zip of
 * one or more members — read as lines, streaming, with progress in bytes of the file on disk,
 * cancellation, and a plain-words account of where a truncated archive broke. Containers are
 * detected from the first bytes, never from the name.
 */
import type { FileContainer } from '../../../core/contract/files';
import type { LineHandler, ReadLinesResult } from '../../analyze/lineReader';

/** One readable text stream of a file: the file itself, or one zip member. */
export interface InputMember {
  /** The file's base name. */
  name: string;
  /** Zip member name; null for plain and gzip files. */
  member: string | null;
  container: FileContainer;
  /** Bytes of the file on disk this member spans (compressed size in a zip), for progress. */
  sizeBytes: number;
}

export interface ReadInputOptions {
  /**
   * Called per member before it is read: the line handler for it, or null to skip the member
   * (e.g. a `.txt` readme in a Binance archive).
   */
  member(member: InputMember): LineHandler | null;
  /** Bytes of the file on disk consumed so far (whole file, all members); called per chunk. */
  onProgress?(bytesRead: number): void;
  /** Stops reading between chunks; the result then has `cancelled: true`. */
  signal?: AbortSignal;
}

/** What reading one member gave (ReadLinesResult: lines, decompressed bytes, error if cut). */
export interface MemberReadResult extends ReadLinesResult {
  member: InputMember;
  skipped: boolean;
}

export interface ReadInputResult {
  container: FileContainer;
  members: MemberReadResult[];
  cancelled: boolean;
  /**
   * Set when the container itself is damaged beyond a member (e.g. a zip cut inside a local
   * header): what happened, in words; members read before it are in `members`.
   */
  error?: string;
}

/** The first lines of each member, for format detection (`files.inspect`). */
export interface MemberHead {
  member: InputMember;
  lines: string[];
  /** Set when even the head could not be read (damaged archive, unreadable file). */
  error?: string;
}
