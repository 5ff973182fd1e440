/** The input layer (#10): plain, gzip and zip files as streaming lines. */
export { detectContainer } from './detect';
export { readHeads, readInput, type ReadInputTuning } from './readInput';
export type {
  InputMember,
  MemberHead,
  MemberReadResult,
  ReadInputOptions,
  ReadInputResult,
} from './types';
