// How a request's storing work is committed. PostgreSQL: each in its own transaction (many
// connections commit side by side). SQLite, one writer per database file: the storing work of
// every request that reaches this point within one event-loop turn runs in ONE `BEGIN
// IMMEDIATE` transaction (group commit), each request's writes inside its own savepoint, so a
// request that fails (a replayed jti, a token value or account taken meanwhile) rolls back its
// own rows only; the database failing (full, read-only) fails the group. Every request is answered after the COMMIT; a commit that fails fails them all,
// so nothing is ever half-stored. One commit, one WAL write of the pages the seven token indexes
// share, and one hand-over of the write lock to another process per group instead of per request
// (docs/performance.md).
import { channel } from 'node:diagnostics_channel'
import { CompiledQuery, type Kysely } from 'kysely'
import { unavailableFrom } from './availability.js'
import type { Database } from './schema.js'

export interface WriteGroups {
  /**
   * Runs `work` in a write transaction and resolves with its answer once that transaction has
   * committed; rejects with `work`'s own error (its writes undone), or with the commit's.
   * `work` must only use `trx` (no waiting on anything else: it holds the group's transaction).
   */
  run<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T>
}

/** One transaction per call (PostgreSQL). */
export function transactionPerCall(db: Kysely<Database>): WriteGroups {
  return { run: (work) => db.transaction().execute(work) }
}

export const GROUP_COMMIT_DEFAULTS = {
  /** At most this many requests' writes in one transaction (bounds how long the write lock is held). */
  maxGroup: 128,
} as const

interface Job {
  work: (trx: Kysely<Database>) => Promise<unknown>
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown }

/**
 * Each group's size and timings (ms: waiting for the write lock, the requests' writes, the
 * commit), published only while something subscribes (the bench's diagnostics,
 * scripts/bench/diagnostics.mjs).
 */
export const writeGroupChannel = channel('tessera:write-group')
export interface WriteGroupTimings {
  size: number
  lockMs: number
  workMs: number
  commitMs: number
}

const SAVEPOINT = 'tessera_write'
const statement = (text: string) => CompiledQuery.raw(text)

/** Group commit (SQLite). */
export class GroupCommit implements WriteGroups {
  #queue: Job[] = []
  #scheduled = false
  #flushing = false

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: { maxGroup: number } = GROUP_COMMIT_DEFAULTS,
  ) {}

  run<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject })
      this.#schedule()
    })
  }

  #schedule(): void {
    if (this.#scheduled || this.#flushing) return
    this.#scheduled = true
    // After this turn's I/O callbacks: every request decrypted in this turn joins the group.
    setImmediate(() => void this.#flush())
  }

  async #flush(): Promise<void> {
    this.#scheduled = false
    this.#flushing = true
    let jobs: Job[] = []
    const outcomes: Outcome[] = []
    let failure: { error: unknown } | undefined
    const timed = writeGroupChannel.hasSubscribers
    const marks = timed ? [performance.now(), 0, 0] : undefined
    try {
      await this.db.transaction().execute(async (trx) => {
        if (marks) marks[1] = performance.now()
        // Taken once the write lock is held: requests that arrived while it was awaited join.
        jobs = this.#queue.splice(0, this.options.maxGroup)
        for (const job of jobs) outcomes.push(await this.#runOne(trx, job))
        if (marks) marks[2] = performance.now()
      })
      if (marks) {
        const [began = 0, locked = 0, worked = 0] = marks
        writeGroupChannel.publish({ size: jobs.length, lockMs: locked - began, workMs: worked - locked, commitMs: performance.now() - worked } satisfies WriteGroupTimings)
      }
    } catch (error) {
      failure = { error }
      // A group that never began (the lock not had in time) takes its requests with it.
      if (jobs.length === 0) jobs = this.#queue.splice(0, this.options.maxGroup)
    } finally {
      this.#flushing = false
      if (this.#queue.length > 0) this.#schedule()
    }
    jobs.forEach((job, i) => {
      const outcome = outcomes[i]
      if (failure) job.reject(outcome && !outcome.ok ? outcome.error : failure.error)
      else if (outcome?.ok) job.resolve(outcome.value)
      else job.reject(outcome?.error)
    })
  }

  /** One request's writes inside a savepoint: its failure undoes its own rows only. */
  async #runOne(trx: Kysely<Database>, job: Job): Promise<Outcome> {
    await trx.executeQuery(statement(`savepoint ${SAVEPOINT}`))
    try {
      const value = await job.work(trx)
      await trx.executeQuery(statement(`release ${SAVEPOINT}`))
      return { ok: true, value }
    } catch (error) {
      // The database itself failing (full, read-only, an I/O error) is no one request's fault:
      // the group fails as a whole, and its commit never tells the store that writing works.
      if (unavailableFrom(error)) throw error
      try {
        await trx.executeQuery(statement(`rollback to ${SAVEPOINT}`))
        await trx.executeQuery(statement(`release ${SAVEPOINT}`))
      } catch {
        // The transaction itself is gone (SQLite ends it on a full disk or an I/O error): the
        // whole group fails, with this request's error.
        throw error
      }
      return { ok: false, error }
    }
  }
}
