// Environment and flags become one typed, frozen Config. The environment is checked once, at
// start, against one valibot schema: a bad value stops the process with the variable's name and
// what it expected (ConfigError; the CLI prints it on one line and exits 1), never a silent
// default. ENV_VARIABLES documents each variable; a test checks README.md lists them all.
import path from 'node:path'
import * as v from 'valibot'
import { DEFAULT_ACQUIRER_KEY, DEFAULT_ACQUIRER_URL, HTTP_ACQUIRER_CLIENT_DEFAULTS } from './acquirer/http-client.js'
import { parseMasterKey } from './crypto/master-key.js'
import { SecretBytes } from './crypto/secret.js'
import { KEY_RELOAD_DEFAULTS } from './crypto/local-key-source.js'
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
  /** How often a file-held master key is read again, to pick up a rotation (TESSERA_MASTER_KEY_RELOAD_MS). */
  masterKeyReloadMs: number
  /** TESSERA_MASTER_KEY, then TESSERA_MASTER_KEYS_PREVIOUS, parsed (never printed); undefined: the key files in dataDir. */
  masterKeys: readonly SecretBytes[] | undefined
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

/** TESSERA_TRUST_PROXY: a number of proxies (`true` meaning one, `false` none, as before). */
export function trustProxyFrom(value: string | undefined): number {
  if (value === undefined || value === '' || value === 'false') return 0
  if (value === 'true') return 1
  if (!/^\d{1,2}$/.test(value)) throw new Error(`TESSERA_TRUST_PROXY must be the number of proxies in front of the vault (0, 1, 2 ...), not ${JSON.stringify(value.slice(0, 20))}`)
  return Number(value)
}

/** A bad environment: the message names the variable and what it expected, never its value. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const text = v.pipe(v.string(), v.trim(), v.minLength(1, 'a non-empty value'))
const integer = (min: number, max: number, what: string) =>
  v.pipe(v.string(), v.regex(/^\d+$/, what), v.transform(Number), v.minValue(min, what), v.maxValue(max, what))
const urlWith = (protocols: string[], what: string) =>
  v.pipe(v.string(), v.check((s) => URL.canParse(s) && protocols.includes(new URL(s).protocol), what))
const masterKey = v.pipe(v.string(), v.check((s) => s.split(',').every((k) => k.trim() !== '' && isMasterKey(k)), '32 bytes as 64 hex digits or base64'))

function isMasterKey(value: string): boolean {
  try {
    parseMasterKey(value)
    return true
  } catch {
    return false
  }
}

/** Each variable: its schema (input is the raw string) and one line for the README. */
export const ENV_VARIABLES = {
  PORT: { schema: integer(0, 65535, 'a port number 0-65535'), doc: 'port the vault listens on (default 8787; `--port` wins)' },
  TESSERA_HOST: { schema: text, doc: 'address to listen on (default 127.0.0.1; `--host` wins)' },
  TESSERA_DATA_DIR: { schema: text, doc: 'data folder: SQLite file and master key file (default ./data; `--data` wins)' },
  DATABASE_URL: { schema: urlWith(['postgres:', 'postgresql:'], 'a postgres:// URL'), doc: 'postgres://... selects PostgreSQL instead of the SQLite file' },
  TESSERA_PUBLIC_URL: { schema: urlWith(['http:', 'https:'], 'an http(s) URL'), doc: "the vault's public URL behind a proxy (its origin is what the frame and CORS checks use)" },
  TESSERA_TRUST_PROXY: {
    schema: v.pipe(v.string(), v.regex(/^(\d{1,2}|true|false)$/, 'the number of proxies in front of the vault (0, 1, 2 ...)'), v.transform((s: string) => trustProxyFrom(s))),
    doc: 'N proxies in front of the vault: the client address is N entries from the right of X-Forwarded-For, TLS from X-Forwarded-Proto (default 0)',
  },
  TESSERA_ALLOW_PRIVATE_WEBHOOKS: {
    schema: v.pipe(v.picklist(['0', '1', 'true', 'false'], '1, true, 0 or false'), v.transform((s) => s === '1' || s === 'true')),
    doc: 'webhook URLs may point at loopback or private addresses (local demos and tests only)',
  },
  TESSERA_LOG_LEVEL: { schema: v.picklist(LOG_LEVELS, LOG_LEVELS.join(', ')), doc: 'log level (default info)' },
  TESSERA_ACQUIRER_URL: { schema: urlWith(['http:', 'https:'], 'an http(s) URL'), doc: 'the acquirer (default: the sandbox acquirer on 127.0.0.1:8790)' },
  TESSERA_ACQUIRER_KEY: { schema: text, doc: "the acquirer's API key (default: the sandbox's development key)" },
  TESSERA_ACQUIRER_TIMEOUT_MS: { schema: integer(1, 600_000, 'milliseconds, an integer 1-600000'), doc: `how long an acquirer call may take before it answers 504 (default ${HTTP_ACQUIRER_CLIENT_DEFAULTS.timeoutMs})` },
  TESSERA_RATE_LIMITS: { schema: v.string(), doc: 'JSON overriding the rate limits, e.g. `{"tokenize": {"perAddress": {"perSecond": 1, "burst": 40}}}`; `null` turns one off' },
  TESSERA_MASTER_KEY: { schema: masterKey, doc: 'the master key, 32 bytes as hex or base64 (default: the key file master.key in the data folder)' },
  TESSERA_MASTER_KEYS_PREVIOUS: { schema: masterKey, doc: 'retired master keys, comma-separated, during a rotation' },
  TESSERA_DB_POOL_SIZE: { schema: integer(1, 1000, 'a whole number of connections 1-1000'), doc: 'PostgreSQL connections per process (default 16)' },
  TESSERA_DB_CONNECT_TIMEOUT_MS: { schema: integer(1, 600_000, 'milliseconds, an integer 1-600000'), doc: 'how long connecting, or waiting for a free pooled connection, may take (default 3000)' },
  TESSERA_DB_STATEMENT_TIMEOUT_MS: { schema: integer(1, 3_600_000, 'milliseconds, an integer 1-3600000'), doc: 'how long one PostgreSQL statement may run, lock waits included (default 5000)' },
  TESSERA_MASTER_KEY_RELOAD_MS: { schema: integer(100, 3_600_000, 'milliseconds, an integer 100-3600000'), doc: `how often the master key file is read again (default ${KEY_RELOAD_DEFAULTS.intervalMs})` },
} satisfies Record<string, { schema: v.GenericSchema<string, unknown>; doc: string }>

type EnvName = keyof typeof ENV_VARIABLES
type Env = { [K in EnvName]: v.InferOutput<(typeof ENV_VARIABLES)[K]['schema']> | undefined }

/** Checks every variable; an empty string counts as unset. Throws ConfigError on the first bad one. */
export function readEnv(env: NodeJS.ProcessEnv): Env {
  const out: Partial<Record<EnvName, unknown>> = {}
  for (const [name, { schema }] of Object.entries(ENV_VARIABLES) as [EnvName, { schema: v.GenericSchema }][]) {
    const raw = env[name]
    if (raw === undefined || raw === '') continue
    const result = v.safeParse(schema, raw)
    if (!result.success) throw new ConfigError(`${name} is invalid: expected ${result.issues[0].message.replace(/^Invalid \w+: /, '')}`)
    out[name] = result.output
  }
  return out as Env
}

function rateLimits(json: string | undefined): RateLimits {
  try {
    return rateLimitsFrom(json)
  } catch (error) {
    throw new ConfigError(`TESSERA_RATE_LIMITS is invalid: expected JSON like {"tokenize": {"perAddress": {"perSecond": 0.5, "burst": 20}}} (${(error as Error).message})`)
  }
}

/** The given master keys, current first; the previous ones count only beside a current one. */
function masterKeys(current: string | undefined, previous: string | undefined): SecretBytes[] | undefined {
  if (current === undefined) return undefined
  const keys = [current, ...(previous ?? '').split(',').filter((k) => k.trim() !== '')]
  return keys.map((k) => new SecretBytes(parseMasterKey(k)))
}

export function loadConfig(environment: NodeJS.ProcessEnv, flags: Partial<Pick<Config, 'port' | 'host' | 'dataDir'>> = {}): Config {
  const env = readEnv(environment)
  return Object.freeze({
    port: flags.port ?? env.PORT ?? CONFIG_DEFAULTS.port,
    host: flags.host ?? env.TESSERA_HOST ?? CONFIG_DEFAULTS.host,
    dataDir: path.resolve(flags.dataDir ?? env.TESSERA_DATA_DIR ?? CONFIG_DEFAULTS.dataDir),
    databaseUrl: env.DATABASE_URL,
    publicOrigin: env.TESSERA_PUBLIC_URL === undefined ? undefined : new URL(env.TESSERA_PUBLIC_URL).origin,
    trustProxy: env.TESSERA_TRUST_PROXY ?? 0,
    logLevel: env.TESSERA_LOG_LEVEL ?? CONFIG_DEFAULTS.logLevel,
    acquirerUrl: env.TESSERA_ACQUIRER_URL ?? CONFIG_DEFAULTS.acquirerUrl,
    acquirerKey: env.TESSERA_ACQUIRER_KEY ?? CONFIG_DEFAULTS.acquirerKey,
    acquirerTimeoutMs: env.TESSERA_ACQUIRER_TIMEOUT_MS ?? HTTP_ACQUIRER_CLIENT_DEFAULTS.timeoutMs,
    masterKeyReloadMs: env.TESSERA_MASTER_KEY_RELOAD_MS ?? KEY_RELOAD_DEFAULTS.intervalMs,
    masterKeys: masterKeys(env.TESSERA_MASTER_KEY, env.TESSERA_MASTER_KEYS_PREVIOUS),
    rateLimits: rateLimits(env.TESSERA_RATE_LIMITS),
    dbPoolSize: env.TESSERA_DB_POOL_SIZE,
    dbConnectTimeoutMs: env.TESSERA_DB_CONNECT_TIMEOUT_MS,
    dbStatementTimeoutMs: env.TESSERA_DB_STATEMENT_TIMEOUT_MS,
    allowPrivateWebhooks: env.TESSERA_ALLOW_PRIVATE_WEBHOOKS ?? false,

  })
}
