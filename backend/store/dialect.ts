// The database plug point: how to open a kysely dialect and how to read its errors.
import type { Dialect } from 'kysely'

export interface StoreDialect {
  readonly name: 'sqlite' | 'postgres'
  /**
   * A fresh kysely dialect (its own connections). `migrate` is for schema migrations, which may
   * run longer than a request's statement timeout allows.
   */
  createKyselyDialect(purpose?: 'serve' | 'migrate'): Dialect
  /** True when the error is a unique or primary-key constraint violation. */
  isUniqueViolation(error: unknown): boolean
  /** Releases anything the dialect holds beyond kysely's own destroy(). */
  close?(): Promise<void>
}
