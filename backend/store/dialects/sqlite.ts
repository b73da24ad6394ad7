// SQLite through better-sqlite3: WAL, a busy timeout, and write transactions that take the
// write lock up front so two processes never deadlock upgrading a read lock.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import BetterSqlite3 from 'better-sqlite3'
import { CompiledQuery, sql, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter, type Driver, type SqliteDatabase, type SqliteStatement } from 'kysely'
import type { StoreDialect } from '../dialect.js'
import { registerDirectRead } from '../direct-reads.js'
import { Checkpointer, CHECKPOINTER_DEFAULTS } from './sqlite-checkpointer.js'

export interface SqliteOptions {
  /** Path of the database file. */
  file: string
  /**
   * `normal` survives a crash of the process (WAL); `full` also survives power loss at the
   * cost of an fsync per commit.
   */
  synchronous?: 'normal' | 'full'
  busyTimeoutMs?: number
  /** Called after each committed transaction (the store learns that writing works). */
  onCommit?(): void
  /** WAL checkpoints on a worker thread (default), or in whichever commit the log's size makes due. */
  backgroundCheckpoints?: boolean
}

export const SQLITE_DEFAULTS = {
  synchronous: 'normal',
  busyTimeoutMs: 5000,
  /** Page cache per connection (KiB): index pages of a large repository stay in memory. */
  cacheKiB: 65_536,
  /** Prepared statements kept per connection. */
  statementCache: 256,
  /**
   * How long a scrubbing checkpoint waits for other processes' readers before it gives up (and
   * is tried again): short, since a waiting connection blocks its process.
   */
  scrubBusyTimeoutMs: 50,
} as const

/**
 * The longest pause between two tries of a write lock another process holds (1 ms, then 2): the
 * other process holds it for one group commit, a few milliseconds; a longer pause would leave the
 * lock idle while requests queue, and a failed try costs some 10 µs.
 */
const BEGIN_RETRY_MAX_MS = 2

/**
 * Kysely prepares every statement anew; preparing costs as much as running a small insert, so
 * statements are kept by their SQL text (a small LRU: the queries are a fixed set).
 */
function cachingStatements(database: BetterSqlite3.Database, size: number): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>()
  return {
    close: () => database.close(),
    prepare(sql) {
      let statement = cache.get(sql)
      if (statement) {
        cache.delete(sql)
      } else {
        statement = database.prepare(sql) as unknown as SqliteStatement
        if (cache.size >= size) cache.delete(cache.keys().next().value as string)
      }
      cache.set(sql, statement)
      return statement
    },
  }
}

/** Connections kysely has out (a transaction, or a query under way): a direct read waits its turn then. */
const connectionOut = new WeakSet<BetterSqlite3.Database>()

class ImmediateSqliteDriver extends SqliteDriver {
  constructor(
    config: ConstructorParameters<typeof SqliteDriver>[0],
    private readonly raw: BetterSqlite3.Database,
    private readonly onCommit: () => void,
    private readonly busyTimeoutMs: number,
  ) {
    super(config)
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await super.commitTransaction(connection)
    this.onCommit()
  }

  /**
   * Takes the write lock without blocking the process. better-sqlite3's busy handler sleeps
   * (1, 2, 5, 10 ms ...) on the event loop's thread while another process holds the lock, so
   * a process waiting to write could do nothing else; here the lock is tried and, while another
   * process has it, tried again after a 1-2 ms timer, the event loop serving meanwhile (decrypting the
   * next requests, which then join the same write group), until the busy timeout.
   */
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const deadline = Date.now() + this.busyTimeoutMs
    this.raw.pragma('busy_timeout = 0')
    try {
      for (let waitMs = 1; ; waitMs = Math.min(waitMs * 2, BEGIN_RETRY_MAX_MS)) {
        try {
          await connection.executeQuery(CompiledQuery.raw('begin immediate'))
          return
        } catch (error) {
          if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() + waitMs > deadline) throw error
        }
        await sleep(waitMs)
      }
    } finally {
      this.raw.pragma(`busy_timeout = ${this.busyTimeoutMs}`)
    }
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection()
    connectionOut.add(this.raw)
    return connection
  }

  override async releaseConnection(): Promise<void> {
    connectionOut.delete(this.raw)
    await super.releaseConnection()
  }

  // SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR): a
  // second rollback would fail with "no transaction is active" and hide the error that matters.
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.raw.inTransaction) await super.rollbackTransaction(connection)
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0]
  constructor(
    config: ConstructorParameters<typeof SqliteDialect>[0],
    private readonly raw: BetterSqlite3.Database,
    private readonly onCommit: () => void,
    private readonly busyTimeoutMs: number,
  ) {
    super(config)
    this.#config = config
  }
  /** The adapter names this Kysely instance: its reads may run at once while the connection is free (store/direct-reads.ts). */
  override createAdapter(): DialectAdapter {
    const adapter = super.createAdapter()
    const { raw } = this
    const statements = this.#config.database as SqliteDatabase
    registerDirectRead(adapter, (text, parameters) => (raw.inTransaction || connectionOut.has(raw) ? undefined : (statements.prepare(text).all(parameters) as unknown[])))
    return adapter
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config, this.raw, this.onCommit, this.busyTimeoutMs)
  }
}

/** Creates `file` with mode 0600 unless it exists (another process may be creating it now). */
function createOwnerOnly(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
}

export function sqliteDialect(options: SqliteOptions): StoreDialect {
  const checkpointers: Checkpointer[] = []
  return {
    name: 'sqlite',
    createKyselyDialect(purpose = 'serve') {
      // The database holds names, wrapped keys and sealed cards: readable by its owner only.
      // SQLite gives its -wal and -shm files the database file's mode.
      fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true, mode: 0o700 })
      if (options.file !== ':memory:') createOwnerOnly(options.file)
      const database = new BetterSqlite3(options.file)
      database.pragma('journal_mode = WAL')
      database.pragma(`synchronous = ${(options.synchronous ?? SQLITE_DEFAULTS.synchronous).toUpperCase()}`)
      database.pragma(`busy_timeout = ${options.busyTimeoutMs ?? SQLITE_DEFAULTS.busyTimeoutMs}`)
      database.pragma('foreign_keys = ON')
      // Deleted and overwritten cells and freed pages are zeroed, so a destroyed card's
      // ciphertext does not linger in free space (scrub() then empties the WAL).
      database.pragma('secure_delete = ON')
      database.pragma(`cache_size = -${SQLITE_DEFAULTS.cacheKiB}`)
      database.pragma('temp_store = MEMORY')
      // The audit chain's hash inside its one-statement append (backend/store/audit.ts); PostgreSQL's is SQL.
      database.function('tessera_sha256_hex', { deterministic: true }, (text: unknown) => (text === null ? null : crypto.createHash('sha256').update(String(text), 'utf8').digest('hex')))
      let onCommit = options.onCommit ?? (() => undefined)
      if (purpose === 'serve' && options.backgroundCheckpoints !== false) {
        // Checkpoints on a thread of their own (sqlite-checkpointer.ts), from the first commit on.
        const checkpointer = new Checkpointer(options.file)
        checkpointers.push(checkpointer)
        database.pragma(`wal_autocheckpoint = ${CHECKPOINTER_DEFAULTS.backstopPages}`)
        const committed = onCommit
        onCommit = () => {
          checkpointer.start()
          committed()
        }
      }
      return new ImmediateSqliteDialect(
        { database: cachingStatements(database, SQLITE_DEFAULTS.statementCache) },
        database,
        onCommit,
        options.busyTimeoutMs ?? SQLITE_DEFAULTS.busyTimeoutMs,
      )
    },
    async scrub(db) {
      const busyTimeoutMs = options.busyTimeoutMs ?? SQLITE_DEFAULTS.busyTimeoutMs
      // On this process's one connection, between its transactions (kysely's connection mutex).
      return db.connection().execute(async (connection) => {
        await sql.raw(`pragma busy_timeout = ${SQLITE_DEFAULTS.scrubBusyTimeoutMs}`).execute(connection)
        try {
          // TRUNCATE: every frame is copied into the database file and the WAL is cut to zero
          // bytes, so no older copy of a page survives there.
          const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(connection)
          return rows[0]?.busy === 0
        } finally {
          await sql.raw(`pragma busy_timeout = ${busyTimeoutMs}`).execute(connection)
        }
      })
    },
    isUniqueViolation(error) {
      const code = (error as { code?: unknown } | null)?.code
      return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
    },
    async close() {
      await Promise.all(checkpointers.splice(0).map((c) => c.stop()))
    },
  }
}
