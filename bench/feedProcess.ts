/** The local feed as a separate process (as Binance is), for the live-path benchmarks. */
import { spawn, type ChildProcess } from 'node:child_process';
import { cliArgs } from '../tests/support/cli';
import { REPO_ROOT } from '../tests/support/realData';

export interface FeedProcess {
  child: ChildProcess;
  url: string;
  stop: () => void;
}

/** Starts `pairdesk simulate` at `rate` aggTrades/s and resolves once it is listening. */
export function startSimulateProcess(rate: number): Promise<FeedProcess> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(
    process.execPath,
    cliArgs(['simulate', '--port', String(port), '--rate', String(rate)]),
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ws://')) {
        resolve({ child, url: `ws://127.0.0.1:${port}`, stop: () => child.kill('SIGINT') });
      }
    });
    child.on('exit', (code) => reject(new Error(`simulate exited ${code}`)));
  });
}
