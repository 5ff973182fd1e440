import { WebSocket, type ClientOptions } from 'ws';

export interface Received {
  text: string;
  binary: boolean;
  atMs: number;
}

/** A real `ws` client that records everything it receives. */
export class TestClient {
  readonly received: Received[] = [];
  readonly pings: number[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private cursor = 0;
  private listeners = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, binary) => {
      const buf = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data);
      this.received.push({ text: buf.toString('utf8'), binary, atMs: performance.now() });
      this.notify();
    });
    ws.on('ping', () => {
      this.pings.push(performance.now());
      this.notify();
    });
    ws.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.notify();
      });
    });
  }

  static async open(url: string, options?: ClientOptions): Promise<TestClient> {
    const ws = new WebSocket(url, options);
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`HTTP ${res.statusCode ?? '?'}`)),
      );
      ws.once('error', reject);
    });
    return client;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Next not-yet-consumed message (optionally the next one matching), or rejects on timeout. */
  async next(match: (text: string) => boolean = () => true, timeoutMs = 2_000): Promise<string> {
    const found = await this.waitUntil(() => {
      while (this.cursor < this.received.length) {
        const msg = this.received[this.cursor++];
        if (match(msg.text)) return msg.text;
      }
      return undefined;
    }, timeoutMs);
    return found;
  }

  /** Sends a control message (object or raw text) and returns the next control reply, parsed. */
  async request(message: unknown, timeoutMs = 2_000): Promise<unknown> {
    this.send(message);
    const text = await this.next(isControlReply, timeoutMs);
    return JSON.parse(text) as unknown;
  }

  /** Resolves when predicate() returns a value other than undefined. */
  waitUntil<T>(predicate: () => T | undefined, timeoutMs = 2_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): void => {
        const value = predicate();
        if (value !== undefined) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  dataMessages(): Received[] {
    return this.received.filter((m) => m.text.includes('"e":') || m.text.startsWith('{"stream"'));
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.terminate();
    }
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
}

export function isControlReply(text: string): boolean {
  return text.startsWith('{"result"') || text.startsWith('{"error"');
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Expects an upgrade to be refused; resolves with the HTTP status. */
export function expectRefused(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', () => undefined);
    ws.on('open', () => {
      ws.terminate();
      reject(new Error('connection was accepted'));
    });
  });
}

/** Polls `check` (which throws while not yet true) until it passes or the timeout expires. */
export async function eventually(check: () => void, timeoutMs = 2_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await sleep(10);
    }
  }
}
