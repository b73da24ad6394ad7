// Queries built and compiled once, then run with new arguments. kysely builds and compiles
// every query anew, which costs about as much as running a small one on SQLite; the hot path's
// statements (a token read, tokenize's inserts) have a fixed shape, so their SQL is made once
// per dialect and only the parameters change (better-sqlite3 keeps the prepared statement by
// its SQL text, see dialects/sqlite.ts).
import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely'
import { directRead } from './direct-reads.js'
import type { Database } from './schema.js'

/** Marks an argument's place among the compiled parameters. */
class Slot {
  constructor(readonly name: string) {}
}

interface Compiled {
  sql: string
  /** Per parameter: the argument it takes, or a constant of the query itself. */
  parameters: (Slot | { constant: unknown })[]
}

/**
 * `build` must use each argument as a plain value (one parameter, wherever it appears) and
 * make the same SQL whatever the values are: the query is compiled once with markers in
 * place of the values, and each run puts the arguments where the markers were.
 */
export function prepared<A extends object, R>(build: (db: Kysely<Database>, args: A) => Compilable<R>) {
  const compile = compiler(build)
  return (db: Kysely<Database>, args: A): Promise<QueryResult<R>> => {
    const query = compile(db, args)
    return db.executeQuery<R>(CompiledQuery.raw(query.sql, query.parameters))
  }
}

/**
 * A prepared read (a select), which on SQLite runs at once while the process's connection is
 * free (store/direct-reads.ts) and otherwise goes through kysely as `prepared` does.
 */
export function preparedRead<A extends object, R>(build: (db: Kysely<Database>, args: A) => Compilable<R>) {
  const compile = compiler(build)
  return (db: Kysely<Database>, args: A): Promise<QueryResult<R>> => {
    const query = compile(db, args)
    const rows = directRead(db)?.(query.sql, query.parameters)
    return rows ? Promise.resolve({ rows: rows as R[] }) : db.executeQuery<R>(CompiledQuery.raw(query.sql, query.parameters))
  }
}

/** The SQL and parameters for `args`, the SQL compiled once per dialect and shape. */
function compiler<A extends object>(build: (db: Kysely<Database>, args: A) => Compilable<unknown>) {
  // Keyed by the dialect's adapter (a transaction shares its database's), then by the names of
  // the arguments given: a caller that leaves a column out gets SQL without it, not a null.
  const compiled = new WeakMap<object, Map<string, Compiled>>()
  return (db: Kysely<Database>, args: A): { sql: string; parameters: unknown[] } => {
    const adapter = db.getExecutor().adapter
    const names = Object.keys(args).filter((name) => (args as Record<string, unknown>)[name] !== undefined)
    const shape = names.join(',')
    let byShape = compiled.get(adapter)
    if (!byShape) compiled.set(adapter, (byShape = new Map()))
    let query = byShape.get(shape)
    if (!query) {
      const markers = Object.fromEntries(names.map((name) => [name, new Slot(name)])) as unknown as A
      const made = build(db, markers).compile()
      query = { sql: made.sql, parameters: made.parameters.map((p) => (p instanceof Slot ? p : { constant: p })) }
      byShape.set(shape, query)
    }
    const parameters = query.parameters.map((p) => (p instanceof Slot ? (args as Record<string, unknown>)[p.name] : p.constant))
    return { sql: query.sql, parameters }
  }
}
