// PostgreSQL through the pg driver, for several vault processes sharing one database. The pool
// outlives its database: connection and client errors are handled (a dead connection leaves the
// pool, the next request opens a new one), connecting and every statement are bounded in time,
// TCP keepalive finds dead peers, and `sslmode` in DATABASE_URL is honoured as libpq does.
import fs from 'node:fs'
import type { ConnectionOptions } from 'node:tls'
import pg from 'pg'
import { PostgresDialect, type Driver } from 'kysely'
import type { StoreDialect } from '../dialect.js'

export interface PostgresOptions {
  url: string
  /** Connections per process. */
  poolSize?: number
  /** How long opening a connection, or waiting for a free one, may take. */
  connectTimeoutMs?: number
  /** How long one statement may run (waiting for locks included) before the server cancels it. */
  statementTimeoutMs?: number
  /** Connection and client errors (the connection is dropped from the pool; nothing to do but tell). */
  onError?(error: Error): void
  /** Called after each committed transaction (the store learns that writing works). */
  onCommit?(): void
}

export const POSTGRES_DEFAULTS = {
  poolSize: 16,
  connectTimeoutMs: 3_000,
  statementTimeoutMs: 5_000,
  /** Past the statement timeout, the client gives up on a server that never answered (a dead peer). */
  clientGraceMs: 2_000,
  keepAliveInitialDelayMs: 10_000,
} as const

export interface PostgresConnection {
  /** The URL without the TLS parameters (pg would read them its own way). */
  connectionString: string
  /** pg's `ssl` option; undefined means no TLS. */
  ssl: ConnectionOptions | false | undefined
}

const TLS_PARAMS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey']

/**
 * Reads `sslmode` (and `sslrootcert`, `sslcert`, `sslkey`) from a DATABASE_URL with libpq's
 * meanings: `disable` no TLS; `require` encrypted, server not verified (verified against
 * `sslrootcert` when one is given, as libpq does); `verify-ca` the certificate chains to the CA;
 * `verify-full` that and the host name matches. `allow` and `prefer` would fall back to plain
 * text silently, which pg cannot do and a card vault should not: they are refused.
 */
export function postgresConnection(url: string, readFile: (file: string) => string = (f) => fs.readFileSync(f, 'utf8')): PostgresConnection {
  const parsed = new URL(url)
  const param = (name: string) => parsed.searchParams.get(name) ?? undefined
  const mode = param('sslmode')
  const rootCert = param('sslrootcert')
  const files: ConnectionOptions = {}
  if (rootCert) files.ca = readFile(rootCert)
  const cert = param('sslcert')
  const key = param('sslkey')
  if (cert) files.cert = readFile(cert)
  if (key) files.key = readFile(key)
  for (const name of TLS_PARAMS) parsed.searchParams.delete(name)
  const connectionString = parsed.toString()
  switch (mode) {
    case undefined:
      return { connectionString, ssl: undefined }
    case 'disable':
      return { connectionString, ssl: false }
    case 'require':
      return rootCert ? { connectionString, ssl: { ...files, rejectUnauthorized: true, checkServerIdentity: () => undefined } } : { connectionString, ssl: { ...files, rejectUnauthorized: false } }
    case 'verify-ca':
      return { connectionString, ssl: { ...files, rejectUnauthorized: true, checkServerIdentity: () => undefined } }
    case 'verify-full':
      return { connectionString, ssl: { ...files, rejectUnauthorized: true } }
    default:
      throw new Error(`DATABASE_URL: sslmode=${mode} is not supported; use disable, require, verify-ca or verify-full`)
  }
}

class CommitReportingPostgresDialect extends PostgresDialect {
  constructor(
    config: ConstructorParameters<typeof PostgresDialect>[0],
    private readonly onCommit: () => void,
  ) {
    super(config)
  }

  override createDriver(): Driver {
    const driver = super.createDriver()
    const commit = driver.commitTransaction.bind(driver)
    driver.commitTransaction = async (connection) => {
      await commit(connection)
      this.onCommit()
    }
    return driver
  }
}

export function postgresDialect(options: PostgresOptions): StoreDialect {
  const statementTimeoutMs = options.statementTimeoutMs ?? POSTGRES_DEFAULTS.statementTimeoutMs
  const { connectionString, ssl } = postgresConnection(options.url)
  const onError = options.onError ?? (() => undefined)
  return {
    name: 'postgres',
    createKyselyDialect(purpose = 'serve') {
      const bounded = purpose === 'serve'
      const pool = new pg.Pool({
        connectionString,
        ...(ssl === undefined ? {} : { ssl }),
        max: bounded ? (options.poolSize ?? POSTGRES_DEFAULTS.poolSize) : 1,
        connectionTimeoutMillis: options.connectTimeoutMs ?? POSTGRES_DEFAULTS.connectTimeoutMs,
        // Migrations (an index on a large table) may take minutes: only requests are bounded.
        ...(bounded ? { statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + POSTGRES_DEFAULTS.clientGraceMs } : {}),
        keepAlive: true,
        keepAliveInitialDelayMillis: POSTGRES_DEFAULTS.keepAliveInitialDelayMs,
      })
      // An idle connection the server dropped: the pool removes it; without a listener the
      // 'error' event would end the process.
      pool.on('error', onError)
      // A connection that dies while a request holds it errors that request's query, and the
      // client emits 'error' too (between two queries of a transaction nobody else listens).
      // pg-pool drops a client that is no longer queryable when it is released.
      pool.on('connect', (client) => client.on('error', onError))
      return new CommitReportingPostgresDialect({ pool }, options.onCommit ?? (() => undefined))
    },
    isUniqueViolation(error) {
      return (error as { code?: unknown } | null)?.code === '23505'
    },
  }
}
