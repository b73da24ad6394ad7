// The JWE key ring: EC P-256 keys the frame encrypts cards to (ECDH-ES + A256GCM).
// One key is active; after a rotation the previous keys keep decrypting for a grace period
// (frames holding an older JWKS still work), then retire and leave the JWKS.
import crypto from 'node:crypto'
import { compactDecrypt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'
import type { Clock } from '../clock.js'
import { CardDecryptionError } from '../errors.js'
import type { KeySource } from './key-source.js'

export const JWE_ALG = 'ECDH-ES'
export const JWE_ENC = 'A256GCM'

export const JWE_KEY_DEFAULTS = {
  /** How long a rotated-out key still decrypts. */
  gracePeriodMs: 24 * 60 * 60 * 1000,
  /** How often a process re-reads the ring (keys rotated by another process). */
  refreshMs: 30_000,
  /** At most one re-read per this interval when an unknown kid arrives. */
  unknownKidRefreshMs: 1_000,
} as const

export interface JweKeyRecord {
  kid: string
  publicJwk: JWK
  privateWrapped: string
  status: 'active' | 'retiring' | 'retired'
  createdAt: string
  retiresAt: string | null
}

export interface JweKeyStore {
  list(): Promise<JweKeyRecord[]>
  insert(record: JweKeyRecord, masterKeyId: string): Promise<void>
  /** Marks every other non-retired key `retiring` until `retiresAt`, in one transaction with the insert. */
  rotate(record: JweKeyRecord, masterKeyId: string, retiresAt: string): Promise<void>
  retire(kids: string[]): Promise<void>
}

export interface JweKeyRingOptions {
  gracePeriodMs?: number
  refreshMs?: number
}

interface LoadedKey {
  record: JweKeyRecord
  privateKey: CryptoKey
}

export interface PublicJwk extends JWK {
  kid: string
  use: 'enc'
  alg: typeof JWE_ALG
}

export const jweKeyContext = (kid: string) => `jwe-key|${kid}`

export class JweKeyRing {
  #keys = new Map<string, LoadedKey>()
  #jwks: { keys: PublicJwk[] } = { keys: [] }
  #loadedAt = 0
  #lastUnknownRefresh = 0
  #loading: Promise<void> | null = null
  readonly #options: Required<JweKeyRingOptions>

  constructor(
    private readonly store: JweKeyStore,
    private readonly keySource: KeySource,
    private readonly clock: Clock,
    options: JweKeyRingOptions = {},
  ) {
    this.#options = Object.freeze({
      gracePeriodMs: options.gracePeriodMs ?? JWE_KEY_DEFAULTS.gracePeriodMs,
      refreshMs: options.refreshMs ?? JWE_KEY_DEFAULTS.refreshMs,
    })
  }

  /** Loads the ring, creating the first key when the vault has none. */
  async init(): Promise<void> {
    await this.reload()
    if (![...this.#keys.values()].some((k) => k.record.status === 'active')) {
      await this.store.insert(await this.newKey(), this.keySource.currentKeyId)
      await this.reload()
    }
  }

  /** Adds a new active key; the previous ones decrypt until the grace period ends. */
  async rotate(): Promise<string> {
    const record = await this.newKey()
    const retiresAt = new Date(this.clock.now().getTime() + this.#options.gracePeriodMs).toISOString()
    await this.store.rotate(record, this.keySource.currentKeyId, retiresAt)
    await this.reload()
    return record.kid
  }

  async jwks(): Promise<{ keys: PublicJwk[] }> {
    await this.refreshIfStale()
    return this.#jwks
  }

  /** Decrypts a compact JWE made for one of the ring's keys; every failure looks the same to the caller. */
  async decrypt(compact: string): Promise<{ plaintext: Uint8Array; kid: string }> {
    await this.refreshIfStale()
    let header: ReturnType<typeof decodeProtectedHeader>
    try {
      header = decodeProtectedHeader(compact)
    } catch {
      throw new CardDecryptionError('malformed protected header')
    }
    if (header.alg !== JWE_ALG || header.enc !== JWE_ENC) throw new CardDecryptionError(`disallowed alg/enc ${String(header.alg)}/${String(header.enc)}`)
    if (typeof header.kid !== 'string') throw new CardDecryptionError('missing kid')
    const key = await this.keyFor(header.kid)
    if (!key) throw new CardDecryptionError(`unknown kid ${header.kid}`)
    try {
      const { plaintext } = await compactDecrypt(compact, key.privateKey, {
        keyManagementAlgorithms: [JWE_ALG],
        contentEncryptionAlgorithms: [JWE_ENC],
      })
      return { plaintext, kid: header.kid }
    } catch (error) {
      throw new CardDecryptionError((error as { code?: string }).code ?? 'decryption failed')
    }
  }

  private async keyFor(kid: string): Promise<LoadedKey | undefined> {
    const known = this.#keys.get(kid)
    if (known) return known
    // A kid we do not know may be one another process just rotated in: re-read, at most once a second.
    const now = this.clock.now().getTime()
    if (now - this.#lastUnknownRefresh < JWE_KEY_DEFAULTS.unknownKidRefreshMs) return undefined
    this.#lastUnknownRefresh = now
    await this.reload()
    return this.#keys.get(kid)
  }

  private async refreshIfStale(): Promise<void> {
    if (this.clock.now().getTime() - this.#loadedAt >= this.#options.refreshMs) await this.reload()
  }

  /** Re-reads the ring; retires keys whose grace period has ended. Concurrent callers share one load. */
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
    const live = records.filter((r) => r.status === 'active' || (r.status === 'retiring' && !due.includes(r)))
    const keys = new Map<string, LoadedKey>()
    for (const record of live) {
      const loaded = this.#keys.get(record.kid)
      keys.set(record.kid, { record, privateKey: loaded?.privateKey ?? (await this.importPrivate(record)) })
    }
    this.#keys = keys
    // The active key first: a frame that takes the first key encrypts to the newest.
    const ordered = [...keys.values()].sort((a, b) => Number(b.record.status === 'active') - Number(a.record.status === 'active') || b.record.createdAt.localeCompare(a.record.createdAt))
    this.#jwks = { keys: ordered.map((k) => ({ ...k.record.publicJwk, kid: k.record.kid, use: 'enc', alg: JWE_ALG })) }
    this.#loadedAt = now.getTime()
  }

  private async importPrivate(record: JweKeyRecord): Promise<CryptoKey> {
    const d = Buffer.from(await this.keySource.unwrap(record.privateWrapped, jweKeyContext(record.kid))).toString('utf8')
    return (await importJWK({ ...record.publicJwk, d }, JWE_ALG)) as CryptoKey
  }

  private async newKey(): Promise<JweKeyRecord> {
    const { publicKey, privateKey } = await generateKeyPair(JWE_ALG, { crv: 'P-256', extractable: true })
    const privateJwk = await exportJWK(privateKey)
    const publicJwk = await exportJWK(publicKey)
    const kid = `${this.clock.now().toISOString().slice(0, 10).replaceAll('-', '')}-${crypto.randomBytes(6).toString('hex')}`
    return {
      kid,
      publicJwk: { kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y },
      privateWrapped: await this.keySource.wrap(Buffer.from(privateJwk.d as string, 'utf8'), jweKeyContext(kid)),
      status: 'active',
      createdAt: this.clock.now().toISOString(),
      retiresAt: null,
    }
  }
}
