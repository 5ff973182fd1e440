/**
 * Browser-mode uploads and downloads (#10) over real HTTP on 127.0.0.1, with a real FilesService
 * (real SQLite store, real ReplayCatalog) registering what arrives: the token/cookie rules of the
 * bridge, byte-identical storage under `<dataDir>/uploads/`, names never trusted, the size and
 * concurrency caps, and CSV downloads with RFC 6266 headers served once.
 */
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ContractHost } from '../../../src/core/contract/contract';
import type { PickedFile } from '../../../src/core/contract/files';
import { ReplayCatalog } from '../../../src/main/app/replayFiles';
import {
  MAX_CONCURRENT_UPLOADS,
  attachmentDisposition,
  sanitiseUploadName,
  startBrowserServer,
  type BrowserServer,
} from '../../../src/main/bridge/browserServer';
import { FilesService } from '../../../src/main/files/filesService';
import { PairDeskStore } from '../../../src/main/store/store';
import { get, writeFakeRenderer, type HttpResult } from './helpers';

const MAX_BYTES = 64 * 1024;

/** Channels that reached the host over the bridge. */
const handled: string[] = [];
const host: ContractHost = {
  handle: async (channel) => {
    handled.push(channel);
    return [] as never;
  },
  subscribe: () => () => undefined,
};

let dir: string;
let dataDir: string;
let store: PairDeskStore;
let catalog: ReplayCatalog;
let server: BrowserServer;
let files: FilesService;
const uploaded: { path: string; picked: PickedFile }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pairdesk-bridge-files-'));
  dataDir = join(dir, 'data');
  store = PairDeskStore.open(join(dir, 'pairdesk.db'));
  catalog = new ReplayCatalog([]);
  files = new FilesService({
    store,
    dataDir,
    catalog,
    emit: () => undefined,
    activeDatasetIds: () => [],
    viewedDatasetId: () => 0,
  });
  server = await startBrowserServer({
    host,
    rendererDir: writeFakeRenderer(dir),
    port: 0,
    dataDir: files.dataDir,
    maxUploadBytes: MAX_BYTES,
    onUpload: (path) => {
      if (path.endsWith('refused.csv')) throw new Error('"refused.csv" is not wanted');
      const picked = files.registerPath(path);
      uploaded.push({ path, picked });
      return picked;
    },
  });
});

afterAll(async () => {
  await server.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

interface PostOptions {
  headers?: Record<string, string>;
  /** Sent without Content-Length (chunked), in pieces of this size. */
  chunked?: number;
}

function send(path: string, body: Buffer, options: PostOptions = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: 'POST',
        headers: {
          ...(options.chunked ? {} : { 'content-length': String(body.length) }),
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
      },
    );
    req.on('error', reject);
    if (options.chunked) {
      for (let i = 0; i < body.length; i += options.chunked) {
        req.write(body.subarray(i, i + options.chunked));
      }
      req.end();
    } else req.end(body);
  });
}

/** The page's own fetch: cookie credential, same origin. */
const fromPage = (): Record<string, string> => ({
  cookie: `pairdesk_token=${server.token}`,
  'sec-fetch-site': 'same-origin',
  origin: `http://127.0.0.1:${server.port}`,
});

const uploadPath = (name: string): string => `/files/upload?name=${encodeURIComponent(name)}`;

function uploadFolders(): string[] {
  const root = join(dataDir, 'uploads');
  return existsSync(root) ? readdirSync(root) : [];
}

describe('POST /files/upload', () => {
  it('refuses a request without the token, a cookie from another site, and a foreign Origin', async () => {
    const body = Buffer.from('a,b\n');
    const before = uploadFolders().length;
    expect((await send(uploadPath('x.csv'), body)).status).toBe(403);
    const crossSite = { ...fromPage(), 'sec-fetch-site': 'same-site' };
    expect((await send(uploadPath('x.csv'), body, { headers: crossSite })).status).toBe(403);
    const foreign = { ...fromPage(), origin: 'http://evil.example' };
    expect((await send(uploadPath('x.csv'), body, { headers: foreign })).status).toBe(403);
    expect(uploadFolders()).toHaveLength(before);
  });

  it('stores the bytes unchanged under the data folder and answers the registered file', async () => {
    const body = randomBytes(MAX_BYTES); // binary, every byte value, exactly the cap
    const res = await send(uploadPath('BTCUSDT-aggTrades-2024-07-18.zip'), body, {
      headers: fromPage(),
      chunked: 5_000,
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const picked = JSON.parse(res.body) as PickedFile;
    const last = uploaded.at(-1)!;
    expect(picked).toEqual(last.picked);
    expect(picked).toMatchObject({
      name: 'BTCUSDT-aggTrades-2024-07-18.zip',
      sizeBytes: MAX_BYTES,
    });
    // <dataDir>/uploads/<random id>/<name>, the id not guessable.
    const parts = relative(dataDir, last.path).split(sep);
    expect(parts[0]).toBe('uploads');
    expect(parts[1]).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(parts[2]).toBe('BTCUSDT-aggTrades-2024-07-18.zip');
    expect(readFileSync(last.path).equals(body)).toBe(true);
    // Registered: the id works wherever a picked file's does.
    expect(catalog.resolveId(picked.id)).toBe(last.path);
  });

  it('accepts the token in the query too (no cookie)', async () => {
    const res = await send(`${uploadPath('t.csv')}&token=${server.token}`, Buffer.from('x\n'));
    expect(res.status).toBe(200);
    expect(readFileSync(uploaded.at(-1)!.path, 'utf8')).toBe('x\n');
  });

  it('never trusts the name: base name, small charset, no dot files; 400 when nothing is left', async () => {
    const cases: [string, string][] = [
      ['../../../etc/evil.csv', 'evil.csv'],
      ['..\\..\\windows\\evil2.csv', 'evil2.csv'],
      ['<b>x|y?.csv', '_b_x_y_.csv'],
      ['<script>alert(1)</script>.csv', 'script_.csv'],
      ['.bashrc', 'bashrc'],
      ['données €.csv', 'données _.csv'],
    ];
    for (const [raw, stored] of cases) {
      const res = await send(uploadPath(raw), Buffer.from('1\n'), { headers: fromPage() });
      expect(res.status, raw).toBe(200);
      const path = uploaded.at(-1)!.path;
      expect(path.split(sep).at(-1)).toBe(stored);
      expect(dirname(dirname(path))).toBe(join(dataDir, 'uploads'));
    }
    for (const bad of ['', '..', '...', '/', 'a/', 'x'.repeat(201)]) {
      const res = await send(uploadPath(bad), Buffer.from('1\n'), { headers: fromPage() });
      expect(res.status, bad).toBe(400);
    }
    expect((await send('/files/upload', Buffer.from('1'), { headers: fromPage() })).status).toBe(
      400,
    );
    // Nothing escaped the uploads folder.
    expect(readdirSync(dataDir).sort()).toEqual(['uploads']);
  });

  it('sanitiseUploadName keeps ordinary names and refuses or fixes the rest', () => {
    expect(sanitiseUploadName('BTCUSDT-1m-2024-07.csv')).toBe('BTCUSDT-1m-2024-07.csv');
    expect(sanitiseUploadName('a b(1).csv.gz')).toBe('a b(1).csv.gz');
    expect(sanitiseUploadName('x\u0000y\n.csv')).toBe('x_y_.csv');
    expect(sanitiseUploadName('C:\\data\\CON.csv')).toBe('_CON.csv');
    expect(sanitiseUploadName('name. ')).toBe('name');
    expect(sanitiseUploadName('é'.repeat(200))).toBe('é'.repeat(200));
    expect(sanitiseUploadName('é'.repeat(201))).toBeNull();
    expect(sanitiseUploadName(' . ')).toBeNull();
  });

  it('413 beyond the size cap, declared or streamed, leaving nothing behind', async () => {
    const before = uploadFolders().length;
    const big = Buffer.alloc(MAX_BYTES + 1, 7);
    const declared = await send(uploadPath('big.csv'), big, { headers: fromPage() });
    expect(declared.status).toBe(413);
    const streamed = await send(uploadPath('big.csv'), big, { headers: fromPage(), chunked: 4096 });
    expect(streamed.status).toBe(413);
    expect(uploadFolders()).toHaveLength(before);
  });

  it('400 when the hook refuses the file, which is removed; 405 for other methods', async () => {
    const before = uploadFolders().length;
    const res = await send(uploadPath('refused.csv'), Buffer.from('1\n'), { headers: fromPage() });
    expect(res.status).toBe(400);
    expect(res.body).toContain('"refused.csv" is not wanted');
    expect(uploadFolders()).toHaveLength(before);
    expect((await get(server.port, uploadPath('x.csv'), fromPage())).status).toBe(405);
  });

  it(`receives at most ${MAX_CONCURRENT_UPLOADS} uploads at a time (429 beyond)`, async () => {
    const before = uploadFolders().length;
    const open: { req: ClientRequest; done: Promise<number> }[] = [];
    for (let i = 0; i < MAX_CONCURRENT_UPLOADS; i++) {
      let req!: ClientRequest;
      const done = new Promise<number>((resolve, reject) => {
        req = request(
          {
            host: '127.0.0.1',
            port: server.port,
            path: uploadPath(`slow${i}.csv`),
            method: 'POST',
            headers: { ...fromPage(), 'content-length': '10' },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
      });
      req.write('12345'); // half the body: the upload stays open
      open.push({ req, done });
    }
    // Each held upload has its folder once it is being received.
    await waitFor(() => uploadFolders().length === before + MAX_CONCURRENT_UPLOADS);
    const extra = await send(uploadPath('one-more.csv'), Buffer.from('1\n'), {
      headers: fromPage(),
    });
    expect(extra.status).toBe(429);
    for (const { req } of open) req.end('67890');
    expect(await Promise.all(open.map((o) => o.done))).toEqual(
      Array(MAX_CONCURRENT_UPLOADS).fill(200),
    );
    const after = await send(uploadPath('after.csv'), Buffer.from('1\n'), { headers: fromPage() });
    expect(after.status).toBe(200);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function putDownload(id: string, name: string, content: string | Buffer): string {
  const folder = join(dataDir, 'downloads', id);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, name), content);
  return folder;
}

describe('GET /files/download/<id>', () => {
  it('streams the CSV as an attachment with its name, once', async () => {
    const csv = 'symbol,start_ms,close\n' + 'BTCUSDT,1721347020000,64000.1\n'.repeat(20_000);
    const folder = putDownload('exp1', 'BTCUSDT-ETHUSDT-1m-bars.csv', csv);
    const res = await get(server.port, '/files/download/exp1', fromPage());
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="BTCUSDT-ETHUSDT-1m-bars.csv"',
    );
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(csv)));
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).toBe(csv);
    await waitFor(() => !existsSync(folder));
    expect((await get(server.port, '/files/download/exp1', fromPage())).status).toBe(404);
  });

  it('names a non-ASCII file by RFC 5987 with an ASCII fallback', async () => {
    putDownload('exp2', 'données-€ "x".csv', 'a\n');
    const res = await get(server.port, '/files/download/exp2', fromPage());
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="donn_es-_ _x_.csv"; filename*=UTF-8''donn%C3%A9es-%E2%82%AC%20%22x%22.csv`,
    );
    expect(attachmentDisposition("it's (1).csv")).toBe(`attachment; filename="it's (1).csv"`);
  });

  it('403 without the token, 404 for a missing, malformed, ambiguous or symlinked download', async () => {
    putDownload('exp3', 'a.csv', 'a\n');
    expect((await get(server.port, '/files/download/exp3')).status).toBe(403);
    expect(
      (
        await get(server.port, '/files/download/exp3', {
          ...fromPage(),
          'sec-fetch-site': 'cross-site',
        })
      ).status,
    ).toBe(403);
    const notFound = async (path: string) => (await get(server.port, path, fromPage())).status;
    expect(await notFound('/files/download/nope')).toBe(404);
    expect(await notFound('/files/download/')).toBe(404);
    expect(await notFound('/files/download/..%2F..%2Fpairdesk.db')).toBe(404);
    expect(await notFound('/files/download/exp3/a.csv')).toBe(404);
    putDownload('two', 'a.csv', 'a\n');
    putDownload('two', 'b.csv', 'b\n');
    expect(await notFound('/files/download/two')).toBe(404);
    const linked = join(dataDir, 'downloads', 'linked');
    mkdirSync(linked, { recursive: true });
    symlinkSync(join(dir, 'pairdesk.db'), join(linked, 'db.csv'));
    expect(await notFound('/files/download/linked')).toBe(404);
    // The good one is still there (none of the refusals consumed it).
    expect((await get(server.port, '/files/download/exp3', fromPage())).body).toBe('a\n');
  });
});

describe('files.register over the bridge', () => {
  it('is refused in browser mode (a page uploads; a path from it is not the user’s choice)', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/bridge?token=${server.token}`);
    await new Promise((r) => ws.once('open', r));
    const replies: unknown[] = [];
    ws.on('message', (d: Buffer) => replies.push(JSON.parse(d.toString())));
    const invoke = (id: number, channel: string, request: unknown) =>
      ws.send(JSON.stringify({ type: 'invoke', id, channel, request }));
    invoke(1, 'files.register', { paths: [join(dir, 'pairdesk.db')] });
    invoke(2, 'datasets.list', null);
    await waitFor(() => replies.length === 2);
    ws.close();
    expect(replies).toContainEqual({
      type: 'reply',
      id: 1,
      ok: false,
      error: 'files.register is for the desktop app; browser mode uploads files',
    });
    expect(replies).toContainEqual({ type: 'reply', id: 2, ok: true, response: [] });
    expect(handled).toEqual(['datasets.list']);
  });
});

describe('a browser-mode export, end to end', () => {
  it('export.csv writes under downloads/<jobId>/ and its downloadUrl serves that CSV once', async () => {
    const t0 = Date.UTC(2024, 6, 18, 23, 57, 0);
    const rows = [
      'agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker',
    ];
    for (let i = 0; i < 500; i++) rows.push(`${i + 1},3400.25,1.5,${i},${i},${t0 + i * 100},false`);
    const upload = await send(
      uploadPath('ETHUSDT-aggTrades-2024-07-18.csv'),
      Buffer.from(rows.join('\n')),
      {
        headers: fromPage(),
      },
    );
    const picked = JSON.parse(upload.body) as PickedFile;
    const imported = await files.handle('files.import', { fileIds: [picked.id] });
    expect(imported.ticks).toBe(500);
    const result = await files.handle('export.csv', {
      what: 'ticks',
      datasetId: imported.datasetId!,
    });
    expect(result).toMatchObject({
      savedTo: null,
      downloadUrl: `/files/download/${result.jobId}`,
      rows: 500,
      cancelled: false,
    });
    const res = await get(server.port, result.downloadUrl!, fromPage());
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${result.fileName}"`);
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toBe('symbol,trade_id,time_ms,price,qty,is_buyer_maker');
    expect(lines).toHaveLength(501);
    expect(Buffer.byteLength(res.body)).toBe(result.bytes);
    await waitFor(() => !existsSync(join(dataDir, 'downloads', result.jobId)));
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > 3_000) throw new Error('timed out');
    await sleep(10);
  }
}
