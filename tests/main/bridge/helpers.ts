/** Shared helpers for the browser-mode server tests: plain HTTP and upgrade requests, a page. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import { buildCsp } from '../../../src/main/platform/csp';

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

export function upgrade(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}

/**
 * A stand-in renderer build under `dir`/renderer: index.html with the Electron CSP meta and
 * assets/app.js. Returns the renderer folder.
 */
export function writeFakeRenderer(dir: string): string {
  const renderer = join(dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(
    join(renderer, 'index.html'),
    `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${buildCsp('electron')}" /></head><body>PairDesk</body></html>`,
  );
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  return renderer;
}
