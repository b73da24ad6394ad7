// The JWE key ring: EC P-256 keys the frame encrypts cards to (ECDH-ES + A256GCM).
// One key is active; after a rotation the previous keys keep decrypting for a grace period
// (frames holding an older JWKS still work), then retire and leave the JWKS.
import type { ECDH } from 'node:crypto'
import type { Clock } from '../clock.js'
import { CardDecryptionError } from '../errors.js'
import { decryptCompact, ecdhKey, JWE_ALG, JWE_ENC, JweRefusal, parseCompact, type CompactJwe } from './jwe-decrypt.js'
import type { KeySource } from './key-source.js'
import { KeyRing, type KeyRecord, type KeyStore, type PublishedJwk } from './key-ring.js'
import { jweKeyContext } from './key-contexts.js'

export { JWE_ALG, JWE_ENC }

export const JWE_KEY_DEFAULTS = {
  /** How long a rotated-out key still decrypts. */
  gracePeriodMs: 24 * 60 * 60 * 1000,
  /** How often a process re-reads the ring (keys rotated by another process). */
  refreshMs: 30_000,
  /** At most one re-read per this interval when an unknown kid arrives. */
  unknownKidRefreshMs: 1_000,
} as const

export type JweKeyRecord = KeyRecord
export type JweKeyStore = KeyStore

export interface JweKeyRingOptions {
  gracePeriodMs?: number
  refreshMs?: number
}

export interface PublicJwk extends PublishedJwk {
  use: 'enc'
  alg: typeof JWE_ALG
}

export { jweKeyContext }

export class JweKeyRing extends KeyRing {
  #lastUnknownRefresh = Number.NEGATIVE_INFINITY
  readonly #ecdh = new Map<string, Promise<ECDH>>()

  constructor(store: KeyStore, keySource: KeySource, clock: Clock, options: JweKeyRingOptions = {}) {
    super({ alg: JWE_ALG, use: 'enc', kidPrefix: '', context: jweKeyContext }, store, keySource, clock, {
      gracePeriodMs: options.gracePeriodMs ?? JWE_KEY_DEFAULTS.gracePeriodMs,
      refreshMs: options.refreshMs ?? JWE_KEY_DEFAULTS.refreshMs,
    })
  }

  override async jwks(): Promise<{ keys: PublicJwk[] }> {
    return (await super.jwks()) as { keys: PublicJwk[] }
  }

  /** Decrypts a compact JWE made for one of the ring's keys; every failure looks the same to the caller. */
  async decrypt(compact: string): Promise<{ plaintext: Uint8Array; kid: string }> {
    await this.refreshIfStale()
    let jwe: CompactJwe
    try {
      jwe = parseCompact(compact)
    } catch (error) {
      throw new CardDecryptionError(error instanceof JweRefusal ? error.message : 'malformed compact JWE')
    }
    // Header values the client wrote never reach the detail (it is logged): a card number sent
    // as a kid would land in the log. Only the vault's own values are named.
    const kid = jwe.header.kid
    if (typeof kid !== 'string') throw new CardDecryptionError('missing kid')
    const record = await this.keyFor(kid)
    if (!record) throw new CardDecryptionError('unknown kid (not one of the vault\'s)')
    try {
      return { plaintext: decryptCompact(jwe, await this.ecdh(record)), kid }
    } catch (error) {
      throw new CardDecryptionError(`${error instanceof JweRefusal ? error.message : 'decryption failed'} (kid ${record.kid})`)
    }
  }

  /** A live key's private part as a node:crypto ECDH, made once per process. */
  private ecdh(record: KeyRecord): Promise<ECDH> {
    let key = this.#ecdh.get(record.kid)
    if (!key) {
      for (const kid of this.#ecdh.keys()) if (!this.live(kid)) this.#ecdh.delete(kid)
      key = this.privateScalar(record).then(ecdhKey)
      key.catch(() => this.#ecdh.delete(record.kid))
      this.#ecdh.set(record.kid, key)
    }
    return key
  }

  private async keyFor(kid: string): Promise<KeyRecord | undefined> {
    const known = this.live(kid)
    if (known) return known
    // A kid we do not know may be one another process just rotated in: re-read, at most once a second.
    const now = this.clock.now().getTime()
    if (now - this.#lastUnknownRefresh < JWE_KEY_DEFAULTS.unknownKidRefreshMs) return undefined
    this.#lastUnknownRefresh = now
    await this.reload()
    return this.live(kid)
  }
}
