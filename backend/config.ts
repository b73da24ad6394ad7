// Environment and flags become one typed, frozen Config.
import path from 'node:path'
import { DEFAULT_ACQUIRER_KEY, DEFAULT_ACQUIRER_URL, HTTP_ACQUIRER_CLIENT_DEFAULTS } from './acquirer/http-client.js'
import { rateLimitsFrom, type RateLimits } from './http/middleware/rate-limit.js'

export interface Config {
  port: number
  host: string
  dataDir: string
  /** postgres://... selects PostgreSQL; unset means the SQLite file under dataDir. */
  databaseUrl: string | undefined
  /** The vault's public origin when behind a proxy (TESSERA_PUBLIC_URL). */
  publicOrigin: string | undefined
  /** Proxies in front of the vault that append to X-Forwarded-For (TESSERA_TRUST_PROXY=N); 0 trusts no forwarded header. */
  trustProxy: number
  logLevel: string
  acquirerUrl: string
  acquirerKey: string
  /** How long an acquirer call may take before it is answered 504 (TESSERA_ACQUIRER_TIMEOUT_MS). */
  acquirerTimeoutMs: number
  rateLimits: RateLimits
  /** PostgreSQL connections per process (TESSERA_DB_POOL_SIZE; default 16). */
  dbPoolSize: number | undefined
  /** How long connecting, or waiting for a free pooled connection, may take (TESSERA_DB_CONNECT_TIMEOUT_MS; default 3000). */
  dbConnectTimeoutMs: number | undefined
  /** How long one PostgreSQL statement may run, lock waits included (TESSERA_DB_STATEMENT_TIMEOUT_MS; default 5000). */
  dbStatementTimeoutMs: number | undefined
  /** TESSERA_ALLOW_PRIVATE_WEBHOOKS=1: webhook URLs may point at loopback or private addresses (local demos, tests). */
  allowPrivateWebhooks: boolean
}

export const CONFIG_DEFAULTS = {
  port: 8787,
  host: '127.0.0.1',
  dataDir: './data',
  logLevel: 'info',
  acquirerUrl: DEFAULT_ACQUIRER_URL,
  acquirerKey: DEFAULT_ACQUIRER_KEY,
} as const

export const SQLITE_FILE = 'tessera.db'

/** An optional positive whole number from the environment; anything else set is a start-up error. */
function positiveInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name]
  if (text === undefined || text === '') return undefined
  const value = Number(text)
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, not ${JSON.stringify(text)}`)
  return value
}

/** TESSERA_TRUST_PROXY: a number of proxies (`true` meaning one, `false` none, as before). */
export function trustProxyFrom(value: string | undefined): number {
  if (value === undefined || value === '' || value === 'false') return 0
  if (value === 'true') return 1
  if (!/^\d{1,2}$/.test(value)) throw new Error(`TESSERA_TRUST_PROXY must be the number of proxies in front of the vault (0, 1, 2 ...), not ${JSON.stringify(value.slice(0, 20))}`)
  return Number(value)
}

export function loadConfig(env: NodeJS.ProcessEnv, flags: Partial<Pick<Config, 'port' | 'host' | 'dataDir'>> = {}): Config {
  const publicUrl = env.TESSERA_PUBLIC_URL
  return Object.freeze({
    port: flags.port ?? (env.PORT ? Number(env.PORT) : CONFIG_DEFAULTS.port),
    host: flags.host ?? env.TESSERA_HOST ?? CONFIG_DEFAULTS.host,
    dataDir: path.resolve(flags.dataDir ?? env.TESSERA_DATA_DIR ?? CONFIG_DEFAULTS.dataDir),
    databaseUrl: env.DATABASE_URL || undefined,
    publicOrigin: publicUrl ? new URL(publicUrl).origin : undefined,
    trustProxy: trustProxyFrom(env.TESSERA_TRUST_PROXY),
    logLevel: env.TESSERA_LOG_LEVEL ?? CONFIG_DEFAULTS.logLevel,
    acquirerUrl: env.TESSERA_ACQUIRER_URL ?? CONFIG_DEFAULTS.acquirerUrl,
    acquirerKey: env.TESSERA_ACQUIRER_KEY ?? CONFIG_DEFAULTS.acquirerKey,
    acquirerTimeoutMs: Number(env.TESSERA_ACQUIRER_TIMEOUT_MS) || HTTP_ACQUIRER_CLIENT_DEFAULTS.timeoutMs,
    rateLimits: rateLimitsFrom(env.TESSERA_RATE_LIMITS),
    dbPoolSize: positiveInteger(env, 'TESSERA_DB_POOL_SIZE'),
    dbConnectTimeoutMs: positiveInteger(env, 'TESSERA_DB_CONNECT_TIMEOUT_MS'),
    dbStatementTimeoutMs: positiveInteger(env, 'TESSERA_DB_STATEMENT_TIMEOUT_MS'),
    allowPrivateWebhooks: env.TESSERA_ALLOW_PRIVATE_WEBHOOKS === '1' || env.TESSERA_ALLOW_PRIVATE_WEBHOOKS === 'true',
  })
}
