// Destroying deleted card data in the database's files, off the request path: after a token is
// deleted or purged, a scrub (SQLite: a WAL checkpoint that truncates the log) is scheduled a
// moment later, coalesced with every other deletion in that moment, and retried while another
// process's readers hold the log. PostgreSQL has no such scrub (docs/security.md).
import type { Kysely } from 'kysely'
import type { Logger } from '../logger.js'
import type { ChangeRecorder } from '../tokens/changes.js'
import type { StoreDialect } from './dialect.js'

export interface ErasureOptions {
  /** How long after a deletion the scrub runs (deletions within it share one). */
  delayMs: number
  /** The pause before a scrub that could not finish is tried again. */
  retryMs: number
  /** How many times in a row it is tried before a warning (it is still tried on the next deletion). */
  maxAttempts: number
}

export const ERASURE_DEFAULTS: ErasureOptions = { delayMs: 100, retryMs: 100, maxAttempts: 50 }

export class Erasure {
  #timer: NodeJS.Timeout | null = null
  #chain: Promise<unknown> = Promise.resolve()
  #attempts = 0
  #closed = false

  constructor(
    private readonly db: Kysely<any>,
    private readonly dialect: StoreDialect,
    private readonly logger: Logger,
    private readonly options: ErasureOptions = ERASURE_DEFAULTS,
  ) {}

  /** Something was destroyed: scrub soon (one scrub for every deletion until it runs). */
  schedule(delayMs = this.options.delayMs): void {
    if (!this.dialect.scrub || this.#closed || this.#timer) return
    this.#timer = setTimeout(() => {
      this.#timer = null
      void this.run().then((done) => {
        if (done) {
          this.#attempts = 0
        } else if (++this.#attempts < this.options.maxAttempts) {
          this.schedule(this.options.retryMs)
        } else {
          this.#attempts = 0
          this.logger.warn({ attempts: this.options.maxAttempts }, 'could not checkpoint the database after deletions (other processes kept reading); will try again on the next deletion')
        }
      })
    }, delayMs)
  }

  /** Scrubs now (after any scrub already running); false when it could not finish. */
  run(): Promise<boolean> {
    const scrub = this.dialect.scrub
    if (!scrub) return Promise.resolve(true)
    const result = this.#chain.then(() => scrub(this.db)).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'database scrub after deletion failed')
      return false
    })
    this.#chain = result
    return result
  }

  /** Passes every change on to `next` and schedules a scrub after each deletion. */
  recorder(next: ChangeRecorder): ChangeRecorder {
    return {
      record: async (db, change) => {
        await next.record(db, change)
        // The timer fires after this transaction: the scrub waits for the connection.
        if (change.type === 'token.deleted') this.schedule()
      },
    }
  }

  /** Stops scheduling; a pending scrub runs now, so nothing deleted is left behind. */
  async close(): Promise<void> {
    const pending = this.#timer !== null
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    this.#closed = true
    if (pending) await this.run()
    await this.#chain
  }
}
