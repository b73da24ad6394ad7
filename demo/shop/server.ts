// Starts the demo shop as an HTTP server: `startShop()` for `tessera demo`, `npm start` and tests
// (port 0 picks a free port).
import { serve, type ServerType } from '@hono/node-server'
import { createLogger, type Logger } from '../../common/logger.js'
import { createShopApp } from './app.js'
import { fileProjectDirectory, type ProjectDirectory } from './project-keys.js'
import { ShopRecords } from './records.js'
import { VaultClient } from './vault-client.js'
import { WebhookInbox } from './webhook-inbox.js'

export const SHOP_DEFAULTS = {
  port: 3000,
  host: '127.0.0.1',
  vaultUrl: 'http://127.0.0.1:8787',
  projectsFile: './data/demo-projects.json',
} as const

export interface ShopOptions {
  port?: number
  host?: string
  /** The vault's URL as browsers reach it (the loader and frame come from there). */
  vaultUrl?: string
  /** Where `npm start` keeps the demo projects' keys; read again whenever it changes. */
  projectsFile?: string
  /** Instead of the file: projects held in memory. */
  projects?: ProjectDirectory
  logger?: Logger
  /** The level of the logger made when none is given (default info). */
  logLevel?: string
}

export interface RunningShop {
  url: string
  port: number
  inbox: WebhookInbox
  close(): Promise<void>
}

export async function startShop(options: ShopOptions = {}): Promise<RunningShop> {
  const host = options.host ?? SHOP_DEFAULTS.host
  const logger = options.logger ?? createLogger({ service: 'tessera-demo-shop', level: options.logLevel })
  const vault = new VaultClient(options.vaultUrl ?? SHOP_DEFAULTS.vaultUrl)
  const projects = options.projects ?? fileProjectDirectory(options.projectsFile ?? SHOP_DEFAULTS.projectsFile)
  const inbox = new WebhookInbox({ jwks: vault.webhookKeysUrl, projects })
  const app = createShopApp({ vault, projects, records: new ShopRecords(), inbox, logger })
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? SHOP_DEFAULTS.port, hostname: host }, () => resolve(s))
    s.once('error', reject)
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : (options.port ?? SHOP_DEFAULTS.port)
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  logger.info({ url, vault: vault.url }, 'demo shop listening')
  return {
    url,
    port,
    inbox,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      if ('closeAllConnections' in server) server.closeAllConnections()
      await closed
    },
  }
}
