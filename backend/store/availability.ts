// Whether the database can serve, learned from what it answers: an error that means "the
// database is gone, full or read-only" (not "this request is wrong") marks it unavailable, with
// one log line naming the driver's code; a later success marks it available again, with one more.
// Requests meanwhile answer 503 `database_unavailable`; /health/ready reads the state.
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely'
import type { Logger } from '../logger.js'

/** `connection`: the server cannot be reached or dropped us; `storage`: it is reachable but cannot write. */
export type UnavailableKind = 'connection' | 'storage'

export interface Unavailable {
  kind: UnavailableKind
  /** The driver's code: an errno (`ECONNREFUSED`), a SQLSTATE (`57P01`) or a SQLite code (`SQLITE_FULL`). */
  code: string
}

// SQLSTATE classes and codes: 08 connection exception, 53 insufficient resources (53100 disk
// full, 53300 too many connections), 57P01-57P03 shutdown / crash / not yet accepting
// connections, 57014 a statement cancelled by statement_timeout, 55P03 lock_timeout, 25006 a
// write on a read-only server (a failover that left us on a standby), 58030 an I/O error.
const PG_CONNECTION_STATES = /^(08...|57P0[1-3]|57014|55P03|53300)$/
const PG_STORAGE_STATES = /^(53[0-9A-Z]{3}|25006|58030)$/
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED'])
// Messages pg and pg-pool throw without a code.
const PG_MESSAGES: [RegExp, string][] = [
  [/^Connection terminated/, 'connection_terminated'],
  [/timeout exceeded when trying to connect/, 'connect_timeout'],
  [/^Query read timeout/, 'query_timeout'],
  [/not queryable/, 'connection_lost'],
]
const SQLITE_STORAGE = /^SQLITE_(FULL|READONLY|CANTOPEN|IOERR)/
// The write lock held by another process past the busy timeout: contention, cleared by any success.
const SQLITE_CONTENTION = /^SQLITE_(BUSY|LOCKED)/

/** Why this error means the database cannot serve now, or null when it is about the request. */
export function unavailableFrom(error: unknown, depth = 0): Unavailable | null {
  if (error === null || typeof error !== 'object' || depth > 3) return null
  const { code, message, errors, cause } = error as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown }
  if (typeof code === 'string') {
    if (SQLITE_STORAGE.test(code)) return { kind: 'storage', code }
    if (SQLITE_CONTENTION.test(code)) return { kind: 'connection', code }
    if (NET_CODES.has(code) || PG_CONNECTION_STATES.test(code)) return { kind: 'connection', code }
    if (PG_STORAGE_STATES.test(code)) return { kind: 'storage', code }
  }
  if (typeof message === 'string') for (const [pattern, name] of PG_MESSAGES) if (pattern.test(message)) return { kind: 'connection', code: name }
  // Node's connect to several addresses (happy eyeballs) fails with an AggregateError.
  if (Array.isArray(errors)) for (const inner of errors) {
    const found = unavailableFrom(inner, depth + 1)
    if (found) return found
  }
  return unavailableFrom(cause, depth + 1)
}

export const AVAILABILITY_DEFAULTS = {
  /**
   * A storage failure (full disk, read-only files) is cleared by the next committed transaction; with
   * no writes coming (readiness keeps the traffic away) it is forgotten after this long, so the
   * vault is tried again rather than left out of rotation for good.
   */
  storageRecheckMs: 10_000,
} as const

const HINTS: Record<string, string> = {
  SQLITE_FULL: 'the disk or the database file is full',
  SQLITE_READONLY: 'the database file or its folder is read-only',
  SQLITE_CANTOPEN: 'the database file cannot be opened (permissions, or the folder is gone)',
  SQLITE_IOERR: 'the disk returned an I/O error',
  SQLITE_BUSY: 'another process held the write lock past the busy timeout',
  '57014': 'a statement ran past the statement timeout',
  '25006': 'the server is read-only (a standby)',
}

/** A short, operator-facing reason for an unavailable code. */
export const describeUnavailable = (code: string): string => HINTS[code] ?? HINTS[code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1')] ?? 'the database cannot be reached'


export class DatabaseAvailability {
  #down: (Unavailable & { since: number; lastAt: number }) | null = null

  constructor(
    private readonly database: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a failure; true when it means the database is unavailable (the caller answers 503). */
  failed(error: unknown): boolean {
    const found = unavailableFrom(error)
    if (!found) return false
    const at = this.now()
    if (this.#down && this.#down.code === found.code) {
      this.#down.lastAt = at
      return true
    }
    // One line per outage (and per change of cause), never one per request.
    this.logger.error({ database: this.database, code: found.code }, `database unavailable (${found.code}: ${describeUnavailable(found.code)}); answering 503 database_unavailable until it recovers`)
    this.#down = { ...found, since: this.#down?.since ?? at, lastAt: at }
    return true
  }

  /**
   * A statement succeeded (`committed`: a write transaction committed). Any success clears a
   * connection failure; a storage failure only a commit (a full database still answers reads,
   * and takes the first rows of a transaction that then fails).
   */
  succeeded(committed: boolean): void {
    const down = this.#down
    if (!down || (down.kind === 'storage' && !committed)) return
    this.#down = null
    this.logger.info({ database: this.database, code: down.code, unavailable_ms: this.now() - down.since }, 'database available again')
  }

  /** What is wrong now, or null. */
  get unavailable(): Unavailable | null {
    const down = this.#down
    if (!down) return null
    if (down.kind === 'storage' && this.now() - down.lastAt >= AVAILABILITY_DEFAULTS.storageRecheckMs) return null
    return { kind: down.kind, code: down.code }
  }

  /** Tells this tracker of every successful statement (the dialect reports commits itself). */
  plugin(): KyselyPlugin {
    return {
      transformQuery: (args: PluginTransformQueryArgs): RootOperationNode => args.node,
      transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => {
        if (this.#down) this.succeeded(false)
        return args.result
      },
    }
  }
}
