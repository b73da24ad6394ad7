// `last_used_at` for API and admin keys, written at most once a minute per key and process:
// tokenize's speed matters more than a to-the-second timestamp, so a use never waits for it.
import type { Kysely } from 'kysely'
import type { Clock } from '../clock.js'
import type { Database } from '../store/schema.js'

export const KEY_USAGE_DEFAULTS = {
  /** A key's last_used_at is at most this stale (per process). */
  intervalMs: 60_000,
  /** Keys remembered per process; past it the memory is cleared (costing one extra write each). */
  maxTracked: 10_000,
} as const

export class KeyUsage {
  readonly #written = new Map<string, number>()
  readonly #pending = new Set<Promise<unknown>>()

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly table: 'api_keys' | 'admin_keys',
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Notes a use of `keyId` at `now` (the clock's, unless the caller just read it); writes it (in the background) when the last write is a minute old. */
  touch(keyId: string, now: Date = this.clock.now()): void {
    const last = this.#written.get(keyId)
    if (last !== undefined && now.getTime() - last < KEY_USAGE_DEFAULTS.intervalMs) return
    if (this.#written.size >= KEY_USAGE_DEFAULTS.maxTracked) this.#written.clear()
    this.#written.set(keyId, now.getTime())
    const write = this.db
      .updateTable(this.table)
      .set({ last_used_at: now.toISOString() })
      .where('id', '=', keyId)
      .execute()
      .catch(this.onError)
      .finally(() => this.#pending.delete(write))
    this.#pending.add(write)
  }

  /** Waits for the writes under way (before the store closes). */
  async flush(): Promise<void> {
    await Promise.all([...this.#pending])
  }
}
