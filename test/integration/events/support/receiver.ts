// A real webhook receiver for tests: a node:http server on loopback that records every request
// (raw body, signature, arrival time) and answers as the test decides: a status, or `hold` to
// keep the request open (a receiver still thinking while the sender dies).
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedWebhook {
  body: string
  signature: string | undefined
  eventId: string
  /** performance.now() when the request's body had arrived. */
  at: number
}

/** A status now, `hold` (never answer), or a status after a pause (a receiver that takes its time). */
export type Answer = number | 'hold' | { status: number; afterMs: number }

export interface Receiver {
  readonly url: string
  readonly received: ReceivedWebhook[]
  /** How to answer the next requests (200 by default). */
  answer(how: Answer | ((w: ReceivedWebhook) => Answer)): void
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>
  /** Stops listening (connections refused) and drops held requests. */
  down(): Promise<void>
  /** Listens again on the same port. */
  up(): Promise<void>
  close(): Promise<void>
}

export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedWebhook[] = []
  const waiters: (() => void)[] = []
  let how: (w: ReceivedWebhook) => Answer = () => 200
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const w: ReceivedWebhook = { body, signature: req.headers['tessera-signature'] as string | undefined, eventId: String(req.headers['tessera-event-id']), at: performance.now() }
      received.push(w)
      for (const wake of waiters.splice(0)) wake()
      const answer = how(w)
      if (answer === 'hold') return
      if (typeof answer === 'number') res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok')
      else setTimeout(() => res.writeHead(answer.status, { 'content-type': 'text/plain' }).end('ok'), answer.afterMs)
    })
  })
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()))
  await listen(0)
  const port = (server.address() as AddressInfo).port
  const down = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  return {
    url: `http://127.0.0.1:${port}/hooks/tessera`,
    received,
    answer(a) {
      how = typeof a === 'function' ? a : () => a
    },
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`receiver got ${received.length} of ${count} webhooks in ${timeoutMs} ms`)
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 50)
          waiters.push(() => {
            clearTimeout(t)
            resolve()
          })
        })
      }
      return received.slice(0, count)
    },
    down,
    up: () => listen(port),
    close: () => (server.listening ? down() : Promise.resolve()),
  }
}
