// Reads that skip kysely's queue when nothing is waiting in it. On SQLite a query through kysely
// waits for the process's one connection (a mutex), runs, and hands it back, a chain of promises
// that costs as much as the point read itself. When no transaction is open and no one holds the
// connection, a read can run at once on the cached statement with the same result: better-sqlite3
// is synchronous, so nothing runs in between. Otherwise (a transaction open, which the read must
// not see into; PostgreSQL; inside a transaction) the read goes through kysely as before.
// A direct read passes no kysely plugin: a success does not clear a recorded outage (the next
// statement through kysely, a key lookup or the readiness check's ping, does); a failure is
// an error like any other, which the HTTP error handler classifies as before.
import type { Kysely } from 'kysely'
import type { Database } from './schema.js'

/** Runs `sql` at once and answers its rows, or undefined when it must wait its turn. */
export type DirectRead = (sql: string, parameters: readonly unknown[]) => unknown[] | undefined

/** By the dialect adapter of the Kysely instance they serve (a transaction shares its database's). */
const readers = new WeakMap<object, DirectRead>()

export function registerDirectRead(adapter: object, read: DirectRead): void {
  readers.set(adapter, read)
}

/** The direct read for `db`, if its dialect has one and `db` is not a transaction. */
export function directRead(db: Kysely<Database>): DirectRead | undefined {
  return db.isTransaction ? undefined : readers.get(db.getExecutor().adapter)
}
