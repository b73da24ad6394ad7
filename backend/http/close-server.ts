// Stopping the vault's HTTP server: the requests in flight finish, every other connection ends
// at once (tessera serve on SIGTERM, each --workers process, tessera start on Ctrl-C).
import type { Socket } from 'node:net'
import type { ServerType } from '@hono/node-server'

/** How long a request still in flight when the vault stops gets to finish before its connection is cut. */
export const CLOSE_GRACE_MS = 10_000

/** The server's open connections, kept per connection (nothing per request). */
export function trackSockets(server: ServerType): Set<Socket> {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  return sockets
}

/**
 * Stops accepting, lets the requests in flight finish (at most `graceMs`), and ends every other
 * connection at once. Node's close() alone waits for connections that are idle between
 * keep-alive requests or were opened and never used (a browser's preconnect, a load balancer's
 * spare), until their header timeout: a minute, during which the vault would not stop.
 */
export async function closeServer(server: ServerType, sockets: ReadonlySet<Socket>, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  const endIdle = () => {
    if ('closeIdleConnections' in server) server.closeIdleConnections()
    for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy()
  }
  endIdle()
  // A connection whose request finishes now turns idle (keep-alive) rather than closing: end it then.
  const sweep = setInterval(endIdle, 50)
  const cut = setTimeout(() => 'closeAllConnections' in server && server.closeAllConnections(), graceMs)
  await closed
  clearInterval(sweep)
  clearTimeout(cut)
}
