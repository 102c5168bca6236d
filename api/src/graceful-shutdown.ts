/**
 * Stops a server without dropping requests: stop accepting connections, let requests in flight finish, close
 * idle keep-alive connections at once, and force the rest closed after a timeout.
 */
import type { Server } from 'node:http';

/**
 * Closes `server` gracefully; resolves `true` when every request finished in time, `false` when some were cut.
 *
 * @example
 * process.once('SIGTERM', async () => { await closeGracefully(server, 10_000); await ledger.close(); });
 */
export function closeGracefully(server: Server, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let finished = false;
    const timer = setTimeout(() => {
      if (finished) return;
      server.closeAllConnections();
      finished = true;
      resolve(false);
    }, timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      if (finished) return;
      finished = true;
      resolve(true);
    });
    // Keep-alive connections with no request in flight would hold close() open until they time out.
    server.closeIdleConnections();
  });
}
