// The database plug point: how to open a kysely dialect and how to read its errors.
import type { Dialect, Kysely } from 'kysely'

export interface StoreDialect {
  readonly name: 'sqlite' | 'postgres'
  /**
   * A fresh kysely dialect (its own connections). `migrate` is for schema migrations, which may
   * run longer than a request's statement timeout allows.
   */
  createKyselyDialect(purpose?: 'serve' | 'migrate'): Dialect
  /** True when the error is a unique or primary-key constraint violation. */
  isUniqueViolation(error: unknown): boolean
  /**
   * Makes the bytes of rows deleted or overwritten so far leave the database's files, where the
   * engine can (SQLite: a WAL checkpoint that truncates the log; freed space is already zeroed
   * by secure_delete). False when it could not finish now (another process reading): try again.
   * Absent where the engine cannot (PostgreSQL: see docs/security.md).
   */
  scrub?(db: Kysely<any>): Promise<boolean>
  /** Releases anything the dialect holds beyond kysely's own destroy(). */
  close?(): Promise<void>
}
