// A ring of EC P-256 keys kept in a key table with their private parts wrapped by the key
// source: one active key, rotated-out keys kept for a grace period and then retired, re-read
// from the table so a rotation by another process reaches every process. The JWE ring
// (decryption) and the webhook ring (signing) are this with their own algorithm and use.
import crypto from 'node:crypto'
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'
import type { Clock } from '../clock.js'
import type { KeySource } from './key-source.js'

export interface KeyRecord {
  kid: string
  publicJwk: JWK
  privateWrapped: string
  status: 'active' | 'retiring' | 'retired'
  createdAt: string
  retiresAt: string | null
}

/** The slice of storage a ring needs (backend/store/key-tables.ts). */
export interface KeyStore {
  list(): Promise<KeyRecord[]>
  insert(record: KeyRecord, masterKeyId: string): Promise<void>
  /** Marks every other non-retired key `retiring` until `retiresAt`, in one transaction with the insert. */
  rotate(record: KeyRecord, masterKeyId: string, retiresAt: string): Promise<void>
  retire(kids: string[]): Promise<void>
}

export interface KeyRingSpec {
  alg: 'ECDH-ES' | 'ES256'
  /** What the published keys are for. */
  use: 'enc' | 'sig'
  kidPrefix: string
  /** The key source context of a key's private part. */
  context(kid: string): string
}

export interface KeyRingOptions {
  /** How long a rotated-out key keeps working. */
  gracePeriodMs: number
  /** How often a process re-reads the ring. */
  refreshMs: number
}

export interface PublishedJwk extends JWK {
  kid: string
  use: string
  alg: string
}

/** How soon a ring whose re-read failed tries again. */
const STALE_RETRY_MS = 1_000

export class KeyRing {
  #live: KeyRecord[] = []
  readonly #privateKeys = new Map<string, Promise<CryptoKey>>()
  #loadedAt = Number.NEGATIVE_INFINITY
  #loading: Promise<void> | null = null

  constructor(
    private readonly spec: KeyRingSpec,
    private readonly store: KeyStore,
    private readonly keySource: KeySource,
    protected readonly clock: Clock,
    private readonly options: KeyRingOptions,
  ) {}

  /** Loads the ring, creating the first key when there is none. */
  async init(): Promise<void> {
    await this.reload()
    if (!this.active()) {
      await this.store.insert(await this.newKey(), this.keySource.currentKeyId)
      await this.reload()
    }
  }

  /** A new key becomes active; the previous ones keep working until the grace period ends. */
  async rotate(): Promise<string> {
    const record = await this.newKey()
    await this.store.rotate(record, this.keySource.currentKeyId, new Date(this.clock.now().getTime() + this.options.gracePeriodMs).toISOString())
    await this.reload()
    return record.kid
  }

  /** The live public keys, the active one first, then the newest. */
  async jwks(): Promise<{ keys: PublishedJwk[] }> {
    await this.refreshIfStale()
    const ordered = [...this.#live].sort((a, b) => Number(b.status === 'active') - Number(a.status === 'active') || b.createdAt.localeCompare(a.createdAt))
    return { keys: ordered.map((r) => ({ ...r.publicJwk, kid: r.kid, use: this.spec.use, alg: this.spec.alg })) }
  }

  /** The newest active key (two processes may each have created a first key at once). */
  protected active(): KeyRecord | undefined {
    return this.#live.filter((r) => r.status === 'active').sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]
  }

  protected live(kid: string): KeyRecord | undefined {
    return this.#live.find((r) => r.kid === kid)
  }

  /** A live key's private part, unwrapped and imported once per process. */
  protected privateKey(record: KeyRecord): Promise<CryptoKey> {
    let key = this.#privateKeys.get(record.kid)
    if (!key) {
      key = this.importPrivate(record)
      key.catch(() => this.#privateKeys.delete(record.kid))
      this.#privateKeys.set(record.kid, key)
    }
    return key
  }

  /**
   * Re-reads the ring when it is stale. A ring that cannot be re-read (the database is away)
   * keeps serving the keys it holds and tries again a second later: the keys change only by a
   * rotation, which needs the database too.
   */
  protected async refreshIfStale(): Promise<void> {
    const now = this.clock.now().getTime()
    if (now - this.#loadedAt < this.options.refreshMs) return
    try {
      await this.reload()
    } catch (error) {
      if (this.#live.length === 0) throw error
      this.#loadedAt = now - this.options.refreshMs + STALE_RETRY_MS
    }
  }

  /** Re-reads the ring and retires keys whose grace period has ended; concurrent callers share one read. */
  async reload(): Promise<void> {
    this.#loading ??= this.load().finally(() => {
      this.#loading = null
    })
    return this.#loading
  }

  private async load(): Promise<void> {
    const now = this.clock.now()
    const records = await this.store.list()
    const due = records.filter((r) => r.status === 'retiring' && r.retiresAt !== null && r.retiresAt <= now.toISOString())
    if (due.length > 0) await this.store.retire(due.map((r) => r.kid))
    this.#live = records.filter((r) => r.status !== 'retired' && !due.includes(r))
    for (const kid of this.#privateKeys.keys()) if (!this.live(kid)) this.#privateKeys.delete(kid)
    this.#loadedAt = now.getTime()
  }

  /** A key's private scalar (the JWK's `d`), unwrapped by the key source. */
  protected async privateScalar(record: KeyRecord): Promise<string> {
    return Buffer.from(await this.keySource.unwrap(record.privateWrapped, this.spec.context(record.kid))).toString('utf8')
  }

  private async importPrivate(record: KeyRecord): Promise<CryptoKey> {
    return (await importJWK({ ...record.publicJwk, d: await this.privateScalar(record) }, this.spec.alg)) as CryptoKey
  }

  private async newKey(): Promise<KeyRecord> {
    const { publicKey, privateKey } = await generateKeyPair(this.spec.alg, { crv: 'P-256', extractable: true })
    const privateJwk = await exportJWK(privateKey)
    const publicJwk = await exportJWK(publicKey)
    const now = this.clock.now()
    const kid = `${this.spec.kidPrefix}${now.toISOString().slice(0, 10).replaceAll('-', '')}-${crypto.randomBytes(6).toString('hex')}`
    return {
      kid,
      publicJwk: { kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y },
      privateWrapped: await this.keySource.wrap(Buffer.from(privateJwk.d as string, 'utf8'), this.spec.context(kid)),
      status: 'active',
      createdAt: now.toISOString(),
      retiresAt: null,
    }
  }
}
