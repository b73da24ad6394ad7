// PostgreSQL through the pg driver, for several vault processes sharing one database.
import pg from 'pg'
import { PostgresDialect } from 'kysely'
import type { StoreDialect } from '../dialect.js'

export interface PostgresOptions {
  url: string
  /** Connections per process. */
  poolSize?: number
}

export const POSTGRES_DEFAULTS = { poolSize: 16 } as const

export function postgresDialect(options: PostgresOptions): StoreDialect {
  return {
    name: 'postgres',
    createKyselyDialect() {
      const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? POSTGRES_DEFAULTS.poolSize })
      return new PostgresDialect({ pool })
    },
    isUniqueViolation(error) {
      return (error as { code?: unknown } | null)?.code === '23505'
    },
  }
}
