/**
 * Browser-test support: Debian's Chromium through playwright-core (never a downloaded browser),
 * `pairdesk serve` as a real child process, screenshots as test artifacts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { decodeBridgeFrame } from '../../src/core/contract/bridgeCodec';
import type { BridgeServerFrame } from '../../src/core/contract/bridgeProtocol';
import type { RequestChannel, RequestOf, ResponseOf } from '../../src/core/contract/contract';
import { cliArgs } from '../support/cli';
import { REPO_ROOT } from '../support/realData';

export const CHROMIUM = process.env.PAIRDESK_CHROMIUM ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const ARTIFACTS = join(REPO_ROOT, 'test-results', 'browser');

/** Flags for a headless Chromium on a closed network (no background fetches). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

const VIEWPORT = { width: 1440, height: 900 };

/**
 * Scripts run by tsx are compiled with esbuild's keepNames, which wraps named functions in a
 * `__name(fn, name)` helper; functions they send to page.evaluate need that helper in the page too
 * (vitest does not add it, tsx does).
 */
const KEEP_NAMES = 'globalThis.__name = globalThis.__name || ((fn) => fn);';

/** A 1440×900 page with the `__name` helper. */
export async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  await page.addInitScript(KEEP_NAMES);
  return page;
}

/** A context of 1440×900 pages with the `__name` helper, for tests that need the context too. */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript(KEEP_NAMES);
  return context;
}

export interface ServeProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<number | null>;
}

/** Starts `pairdesk serve` and resolves once it prints its URL. */
export function startServe(args: string[], timeoutMs = 60_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, cliArgs(['serve', '--port', '0', ...args]), {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start:\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /running at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=[0-9a-f]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          port: Number(m[2]),
          child,
          output: () => out,
          stop: async () => {
            child.kill('SIGINT');
            return exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
}

export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T> | T,
  ok: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const start = Date.now();
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() - start > timeoutMs) {
      throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}

/**
 * A second client of the bridge: what the server says, independent of the page. Resolves with
 * the reply and the size of the frame that carried it (bytes on the wire).
 */
export async function bridgeReply<C extends RequestChannel>(
  serve: ServeProcess,
  channel: C,
  request: RequestOf<C>,
): Promise<{ response: ResponseOf<C>; bytes: number }> {
  const token = new URL(serve.url).searchParams.get('token') ?? '';
  const socket = new WebSocket(`ws://127.0.0.1:${serve.port}/bridge?token=${token}`);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return await new Promise((resolve, reject) => {
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        // Replies with 64 or more rows come as binary frames (bridgeCodec).
        const frame = (
          isBinary ? decodeBridgeFrame(data) : JSON.parse(data.toString())
        ) as BridgeServerFrame;
        if (frame.type !== 'reply' || frame.id !== 1) return;
        if (frame.ok) resolve({ response: frame.response as ResponseOf<C>, bytes: data.length });
        else reject(new Error(frame.error));
      });
      socket.send(JSON.stringify({ type: 'invoke', id: 1, channel, request }));
    });
  } finally {
    socket.close();
  }
}

export async function bridgeInvoke<C extends RequestChannel>(
  serve: ServeProcess,
  channel: C,
  request: RequestOf<C>,
): Promise<ResponseOf<C>> {
  return (await bridgeReply(serve, channel, request)).response;
}

/**
 * Waits until the page holds the session's settings: the tabs are enabled only then, and a
 * keyboard shortcut pressed before that is dropped (it has no settings to change).
 */
export async function waitForSession(page: Page, timeout = 60_000): Promise<void> {
  await page.locator('[data-testid="tab-prices"]:enabled').waitFor({ timeout });
}

/**
 * A new page of the app at `url`, once the session is loaded (waitForSession); `errors` collects
 * the page's uncaught errors, for a test to assert there were none.
 */
export async function openApp(
  browser: Browser,
  url: string,
): Promise<{ page: Page; errors: string[] }> {
  const page = await newPage(browser);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await waitForSession(page);
  return { page, errors };
}

/**
 * Drops files on the page as a user would: a `DataTransfer` holding `File`s built in the page
 * from the given names and texts, dispatched as dragenter → dragover → drop on `<body>`.
 * Resolves with whether the page cancelled `dragover` and `drop` (it must: a drop the page
 * does not cancel navigates the window to the file) and whether the drop overlay showed.
 */
export async function dropFiles(
  page: Page,
  files: { name: string; text: string }[],
): Promise<{ dragoverCancelled: boolean; dropCancelled: boolean; overlayShown: boolean }> {
  const dragged = await page.evaluate((list) => {
    const transfer = new DataTransfer();
    for (const f of list) transfer.items.add(new File([f.text], f.name, { type: 'text/csv' }));
    (window as unknown as { __dropTransfer: DataTransfer }).__dropTransfer = transfer;
    const init = { dataTransfer: transfer, bubbles: true, cancelable: true };
    document.body.dispatchEvent(new DragEvent('dragenter', init));
    const over = new DragEvent('dragover', init);
    document.body.dispatchEvent(over);
    return over.defaultPrevented;
  }, files);
  const overlayShown = await page
    .getByTestId('drop-overlay')
    .waitFor({ timeout: 2_000 })
    .then(
      () => true,
      () => false,
    );
  const dropCancelled = await page.evaluate(() => {
    const transfer = (window as unknown as { __dropTransfer: DataTransfer }).__dropTransfer;
    const drop = new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true });
    document.body.dispatchEvent(drop);
    return drop.defaultPrevented;
  });
  return { dragoverCancelled: dragged, dropCancelled, overlayShown };
}
