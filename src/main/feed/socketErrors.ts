/**
 * A failed connection attempt in words a user can act on. ws reports a refused TCP connect as
 * `connect ECONNREFUSED 127.0.0.1:9443` and then closes with 1006; the close code alone ("closed:
 * code 1006") hides that nothing is listening.
 */
export function describeConnectError(error: Error & { code?: string }, url: string): string {
  let host = url;
  try {
    const u = new URL(url);
    host = `${u.hostname}:${u.port || (u.protocol === 'wss:' ? '443' : '80')}`;
  } catch {
    // Keep the raw URL.
  }
  switch (error.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${host}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve ${host.replace(/:\d+$/, '')}`;
    case 'ETIMEDOUT':
      return `connection to ${host} timed out`;
    case 'ECONNRESET':
      return `connection reset by ${host}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${host} is unreachable`;
  }
  const status = /Unexpected server response: (\d+)/.exec(error.message);
  if (status) return `${host} refused the WebSocket upgrade (HTTP ${status[1]})`;
  return error.message || (error.code ?? 'connection failed');
}
