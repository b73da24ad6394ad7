// The auth cache: what a key's hash opened (a principal, or nothing), kept for a short time so
// most requests cost no key lookup. Bounded: known and unknown keys live in separate LRUs, so a
// flood of made-up keys fills only its own part and never pushes real keys out. Misses for one
// key share one lookup: 32 requests arriving at once with a key the process has not seen yet
// cost one read, not 32.
import type { Principal } from './project.js'

export interface AuthCacheOptions {
  /** How long an answer is trusted before the key is read again (revocations, settings). */
  ttlMs?: number
  /** Known keys kept at most. */
  maxKnown?: number
  /** Unknown (or revoked) keys kept at most. */
  maxUnknown?: number
}

export const AUTH_CACHE_DEFAULTS = {
  ttlMs: 10_000,
  // Measured: about 220 bytes an unknown entry and 360 a known one, so at most about 6 MB.
  maxKnown: 10_000,
  maxUnknown: 10_000,
} as const

interface Entry<T> {
  value: T
  at: number
}

/** A Map kept in use order: a hit moves to the end, an insert past the bound drops the oldest. */
class Lru<T> {
  readonly #entries = new Map<string, Entry<T>>()
  /**
   * The key at the end (the last used): a hit on it needs no move. A server calling with one key
   * hits the same entry request after request; a move is a delete and an insert, whose holes make
   * the Map rebuild its table every few requests.
   */
  #newest: string | undefined
  constructor(readonly max: number) {}

  get size(): number {
    return this.#entries.size
  }

  get(key: string): Entry<T> | undefined {
    const entry = this.#entries.get(key)
    if (entry && key !== this.#newest) {
      this.#entries.delete(key)
      this.#entries.set(key, entry)
      this.#newest = key
    }
    return entry
  }

  set(key: string, entry: Entry<T>): void {
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    this.#newest = key
    if (this.#entries.size > this.max) this.delete(this.#entries.keys().next().value as string)
  }

  delete(key: string): void {
    this.#entries.delete(key)
    if (key === this.#newest) this.#newest = undefined
  }

  deleteWhere(matches: (value: T) => boolean): void {
    for (const [key, entry] of this.#entries) if (matches(entry.value)) this.delete(key)
  }
}

export class AuthCache {
  readonly #ttlMs: number
  readonly #known: Lru<Principal>
  readonly #unknown: Lru<null>
  /** Lookups under way, by key hash. */
  readonly #loading = new Map<string, Promise<Principal | null>>()
  /** Bumped when a project's keys are forgotten: a lookup begun before keeps its answer out of the cache. */
  #generation = 0

  constructor(options: AuthCacheOptions = {}) {
    this.#ttlMs = options.ttlMs ?? AUTH_CACHE_DEFAULTS.ttlMs
    this.#known = new Lru(options.maxKnown ?? AUTH_CACHE_DEFAULTS.maxKnown)
    this.#unknown = new Lru(options.maxUnknown ?? AUTH_CACHE_DEFAULTS.maxUnknown)
  }

  /** The cached answer for a key hash still fresh at `now` (a principal or null), or undefined when the key must be read. */
  get(hash: string, now: number): Principal | null | undefined {
    const entry = this.#known.get(hash) ?? this.#unknown.get(hash)
    if (!entry) return undefined
    if (now - entry.at >= this.#ttlMs) return undefined
    return entry.value
  }

  /**
   * The fresh cached answer for a key hash, or the answer of `lookUp`, which runs once for any
   * number of concurrent misses on one hash (they all get its answer, or its error).
   */
  answer(hash: string, now: number, lookUp: (hash: string) => Promise<Principal | null>): Principal | null | Promise<Principal | null> {
    const cached = this.get(hash, now)
    if (cached !== undefined) return cached
    const underWay = this.#loading.get(hash)
    if (underWay) return underWay
    const generation = this.#generation
    const loading = lookUp(hash)
      .then((principal) => {
        // A project changed while its key was read: the answer goes to who asked, not into the cache.
        if (generation === this.#generation) this.set(hash, principal, now)
        return principal
      })
      .finally(() => {
        if (this.#loading.get(hash) === loading) this.#loading.delete(hash)
      })
    this.#loading.set(hash, loading)
    return loading
  }

  set(hash: string, principal: Principal | null, now: number): void {
    if (principal) {
      this.#unknown.delete(hash)
      this.#known.set(hash, { value: principal, at: now })
    } else {
      this.#known.delete(hash)
      this.#unknown.set(hash, { value: null, at: now })
    }
  }

  /** Forgets every key of a project (after its settings or keys changed in this process). */
  forgetProject(projectId: string): void {
    this.#known.deleteWhere((principal) => principal.project.id === projectId)
    // Lookups under way may have read the project before the change: later requests read anew.
    this.#generation++
    this.#loading.clear()
  }

  /** How many entries each part holds (for tests and metrics). */
  sizes(): { known: number; unknown: number; maxKnown: number; maxUnknown: number } {
    return { known: this.#known.size, unknown: this.#unknown.size, maxKnown: this.#known.max, maxUnknown: this.#unknown.max }
  }
}
