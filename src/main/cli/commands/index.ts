import type { CliCommand } from '../command';
import { analyzeCommand } from './analyze';
import { datasetsCommand } from './datasets';
import { exportCommand } from './export';
import { importCommand } from './import';
import { recordCommand } from './record';
import { serveCommand } from './serve';
import { simulateCommand } from './simulate';

export const commands: CliCommand[] = [
  serveCommand,
  simulateCommand,
  recordCommand,
  exportCommand,
  importCommand,
  datasetsCommand,
  analyzeCommand,
];
