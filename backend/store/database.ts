// Opens the store: picks the dialect from the configuration, runs migrations, hands out kysely,
// and keeps track of whether the database can serve (store.availability).
import { Kysely, Migrator, sql, type MigrationProvider } from 'kysely'
import { pino } from 'pino'
import type { Logger } from '../logger.js'
import { DatabaseAvailability, describeUnavailable, unavailableFrom } from './availability.js'
import type { StoreDialect } from './dialect.js'
import { sqliteDialect } from './dialects/sqlite.js'
import { migrations } from './migrations/index.js'
import type { Database } from './schema.js'
import { GroupCommit, transactionPerCall, type WriteGroups } from './write-groups.js'

export interface StoreConfig {
  /** `postgres://...` picks PostgreSQL; anything else is ignored in favour of the SQLite file. */
  databaseUrl?: string | undefined
  sqliteFile: string
  /** PostgreSQL only: connections per process, connect and statement timeouts (defaults in POSTGRES_DEFAULTS). */
  poolSize?: number | undefined
  connectTimeoutMs?: number | undefined
  statementTimeoutMs?: number | undefined
}

export interface Store {
  readonly db: Kysely<Database>
  readonly dialect: StoreDialect
  /** Whether the database can serve, from what it last answered. */
  readonly availability: DatabaseAvailability
  /** Where tokenize's storing work commits: in groups on SQLite, one transaction each on PostgreSQL (store/write-groups.ts). */
  readonly writes: WriteGroups
  /** One round trip to the database (readiness); throws when it does not answer. */
  ping(): Promise<void>
  close(): Promise<void>
}

interface DialectHooks {
  onError(error: Error): void
  onCommit(): void
}

type DialectFactory = (config: StoreConfig, hooks: DialectHooks) => Promise<StoreDialect>

const dialects: Record<StoreDialect['name'], DialectFactory> = {
  sqlite: async (config, { onCommit }) => sqliteDialect({ file: config.sqliteFile, onCommit }),
  // Loaded lazily so SQLite users never load the pg driver.
  postgres: async (config, { onError, onCommit }) =>
    (await import('./dialects/postgres.js')).postgresDialect({
      url: config.databaseUrl as string,
      poolSize: config.poolSize,
      connectTimeoutMs: config.connectTimeoutMs,
      statementTimeoutMs: config.statementTimeoutMs,
      onError,
      onCommit,
    }),
}

export function dialectName(config: StoreConfig): StoreDialect['name'] {
  return config.databaseUrl && /^postgres(ql)?:\/\//.test(config.databaseUrl) ? 'postgres' : 'sqlite'
}

const provider: MigrationProvider = { getMigrations: async () => migrations }

export const STORE_DEFAULTS = {
  /**
   * A database that cannot be reached at start is waited for this long (it may be starting beside
   * the vault, or failing over) before the start fails.
   */
  startWaitMs: 30_000,
  startRetryMs: 1_000,
} as const

/** Runs the migrations on connections of their own (no statement timeout), waiting for a database that is not there yet. */
async function migrate(dialect: StoreDialect, logger: Logger): Promise<void> {
  const deadline = Date.now() + STORE_DEFAULTS.startWaitMs
  for (let waiting = false; ; waiting = true) {
    const db = new Kysely<Database>({ dialect: dialect.createKyselyDialect('migrate') })
    const { error } = await new Migrator({ db, provider }).migrateToLatest()
    await db.destroy()
    if (!error) {
      if (waiting) logger.info({ database: dialect.name }, 'database reached; starting')
      return
    }
    const unavailable = unavailableFrom(error)
    if (unavailable?.kind !== 'connection' || Date.now() + STORE_DEFAULTS.startRetryMs > deadline) throw error
    if (!waiting) logger.warn({ database: dialect.name, code: unavailable.code, wait_ms: STORE_DEFAULTS.startWaitMs }, 'database unavailable at start; waiting for it')
    await new Promise((resolve) => setTimeout(resolve, STORE_DEFAULTS.startRetryMs))
  }
}

/** The database could not be used at start (unreachable past the wait, read-only, full): the CLI prints it as one line. */
export class DatabaseStartError extends Error {
  constructor(readonly code: string) {
    super(`the database cannot be used (${code}: ${describeUnavailable(code)})`)
  }
}

export async function openStore(config: StoreConfig, logger: Logger = pino({ level: 'silent' })): Promise<Store> {
  const name = dialectName(config)
  const availability = new DatabaseAvailability(name, logger)
  const dialect = await dialects[name](config, { onError: (error) => availability.failed(error), onCommit: () => availability.succeeded(true) })
  try {
    await migrate(dialect, logger)
  } catch (error) {
    const unavailable = unavailableFrom(error)
    throw unavailable ? new DatabaseStartError(unavailable.code) : error
  }
  const db = new Kysely<Database>({ dialect: dialect.createKyselyDialect('serve'), plugins: [availability.plugin()] })
  return {
    db,
    dialect,
    availability,
    writes: name === 'sqlite' ? new GroupCommit(db) : transactionPerCall(db),
    async ping() {
      try {
        // A select through the query builder: a read, so it clears a connection failure, not a full disk.
        await db.selectNoFrom(sql<number>`1`.as('one')).execute()
      } catch (error) {
        availability.failed(error)
        throw error
      }
    },
    async close() {
      await db.destroy()
      await dialect.close?.()
    },
  }
}
