// Opens the store: picks the dialect from the configuration, runs migrations, hands out kysely.
import { Kysely, Migrator, type MigrationProvider } from 'kysely'
import type { StoreDialect } from './dialect.js'
import { sqliteDialect } from './dialects/sqlite.js'
import { migrations } from './migrations/index.js'
import type { Database } from './schema.js'

export interface StoreConfig {
  /** `postgres://...` picks PostgreSQL; anything else is ignored in favour of the SQLite file. */
  databaseUrl?: string | undefined
  sqliteFile: string
}

export interface Store {
  readonly db: Kysely<Database>
  readonly dialect: StoreDialect
  close(): Promise<void>
}

const dialects: Record<StoreDialect['name'], (config: StoreConfig) => Promise<StoreDialect>> = {
  sqlite: async (config) => sqliteDialect({ file: config.sqliteFile }),
  // Loaded lazily so SQLite users never load the pg driver.
  postgres: async (config) => (await import('./dialects/postgres.js')).postgresDialect({ url: config.databaseUrl as string }),
}

export function dialectName(config: StoreConfig): StoreDialect['name'] {
  return config.databaseUrl && /^postgres(ql)?:\/\//.test(config.databaseUrl) ? 'postgres' : 'sqlite'
}

const provider: MigrationProvider = { getMigrations: async () => migrations }

export async function openStore(config: StoreConfig): Promise<Store> {
  const dialect = await dialects[dialectName(config)](config)
  const db = new Kysely<Database>({ dialect: dialect.createKyselyDialect() })
  const { error } = await new Migrator({ db, provider }).migrateToLatest()
  if (error) {
    await db.destroy()
    throw error
  }
  return {
    db,
    dialect,
    async close() {
      await db.destroy()
      await dialect.close?.()
    },
  }
}
