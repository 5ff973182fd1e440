/**
 * The renderer's Content-Security-Policy, in one place for every way the page is served.
 * Plain TypeScript (no Node, no Electron): the Electron bootstrap, the vite config and the
 * browser-mode server all build their header / <meta> from here.
 *
 * Modes:
 * - `electron`: the packaged/production page loaded from file://. Strictest; it is also the
 *   policy in src/renderer/index.html's <meta> (a unit test keeps the two identical).
 * - `browser`: the same page served to a normal browser from 127.0.0.1; adds the bridge's
 *   WebSocket origins to connect-src — `ws://127.0.0.1:PORT ws://localhost:PORT` for the served
 *   port (any loopback port, `ws://127.0.0.1:*`, only when no port is given), so the page cannot
 *   reach other local servers. Never used inside Electron.
 * - `dev`: the vite dev server (HMR). Vite's React-refresh preamble is an inline module script
 *   and vite injects CSS as <style> elements, so inline scripts/styles are allowed there only.
 *
 * Styles: `style-src 'self'` keeps <style>/<link> elements to the app's own files; inline style
 * ATTRIBUTES are allowed (`style-src-attr 'unsafe-inline'`) because ECharts builds its tooltip
 * HTML with style="…" attributes. React's `style` prop and ECharts' container styling go
 * through the CSSOM, which CSP does not restrict. Style attributes cannot run script, and
 * script-src stays `'self'` (no inline, no eval) outside dev.
 */

export type CspMode = 'electron' | 'browser' | 'dev';

export interface CspOptions {
  /** Browser mode: the port the page and its bridge are served on. */
  port?: number;
}

export function buildCsp(mode: CspMode = 'electron', options: CspOptions = {}): string {
  const dev = mode === 'dev';
  const connect = ["'self'"];
  if (mode === 'browser') {
    const port = options.port;
    if (port !== undefined && Number.isInteger(port) && port > 0 && port < 65536) {
      connect.push(`ws://127.0.0.1:${port}`, `ws://localhost:${port}`);
    } else {
      connect.push('ws://127.0.0.1:*');
    }
  }
  if (dev) connect.push('ws://localhost:*', 'ws://127.0.0.1:*');
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', dev ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    ['style-src', dev ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    ['style-src-attr', ["'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', connect],
    ['object-src', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

const CSP_META = /<meta\s+http-equiv="Content-Security-Policy"\s+content="[^"]*"\s*\/?>/i;

/** Reads the policy of the page's CSP <meta>, or null when there is none. */
export function readCspMeta(html: string): string | null {
  const tag = CSP_META.exec(html)?.[0];
  if (!tag) return null;
  return /content="([^"]*)"/i.exec(tag)?.[1] ?? null;
}

/** Replaces the page's CSP <meta> policy (e.g. the browser-mode server or the dev server). */
export function withCspMeta(html: string, csp: string): string {
  if (!CSP_META.test(html)) throw new Error('index.html has no Content-Security-Policy <meta>');
  return html.replace(CSP_META, `<meta http-equiv="Content-Security-Policy" content="${csp}" />`);
}
