// Starts the sandbox acquirer as an HTTP server: `startAcquirer()` for the CLI, `npm start`
// and tests (port 0 picks a free port). Everything it keeps is in memory.
import { serve, type ServerType } from '@hono/node-server'
import type { Clock } from '../../common/clock.js'
import { createLogger, type Logger } from '../../common/logger.js'
import { createAcquirerApp, type AcquirerApp } from './app.js'

export const ACQUIRER_DEFAULTS = {
  port: 8790,
  host: '127.0.0.1',
} as const

export interface AcquirerOptions {
  port?: number
  host?: string
  /** Defaults to the development key DEFAULT_ACQUIRER_KEY ('acq_dev_sandbox_key'). */
  apiKey?: string
  clock?: Clock
  logger?: Logger
  /** The level of the logger made when none is given (default info). */
  logLevel?: string
  /** How long the `hang` card holds a request (default 30 s). */
  hangMs?: number
}

export interface RunningAcquirer {
  url: string
  port: number
  /** The books, for tests that look at what was (not) recorded. */
  ledger: AcquirerApp['ledger']
  close(): Promise<void>
}

export async function startAcquirer(options: AcquirerOptions = {}): Promise<RunningAcquirer> {
  const host = options.host ?? ACQUIRER_DEFAULTS.host
  const logger = options.logger ?? createLogger({ service: 'tessera-sandbox-acquirer', level: options.logLevel })
  const { app, ledger, releaseHangs } = createAcquirerApp({ apiKey: options.apiKey, clock: options.clock, hangMs: options.hangMs, logger })
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? ACQUIRER_DEFAULTS.port, hostname: host }, () => resolve(s))
    s.once('error', reject)
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : (options.port ?? ACQUIRER_DEFAULTS.port)
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  logger.info({ url }, 'sandbox acquirer listening')
  return {
    url,
    port,
    ledger,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // Held requests and keep-alive sockets would keep close() waiting: end them now.
      releaseHangs()
      if ('closeAllConnections' in server) server.closeAllConnections()
      await closed
    },
  }
}
