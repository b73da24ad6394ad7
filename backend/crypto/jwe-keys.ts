// The JWE key ring: EC P-256 keys the frame encrypts cards to (ECDH-ES + A256GCM).
// One key is active; after a rotation the previous keys keep decrypting for a grace period
// (frames holding an older JWKS still work), then retire and leave the JWKS.
import { compactDecrypt, decodeProtectedHeader } from 'jose'
import type { Clock } from '../clock.js'
import { CardDecryptionError } from '../errors.js'
import type { KeySource } from './key-source.js'
import { KeyRing, type KeyRecord, type KeyStore, type PublishedJwk } from './key-ring.js'

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

export const jweKeyContext = (kid: string) => `jwe-key|${kid}`

export class JweKeyRing extends KeyRing {
  #lastUnknownRefresh = Number.NEGATIVE_INFINITY

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
    let header: ReturnType<typeof decodeProtectedHeader>
    try {
      header = decodeProtectedHeader(compact)
    } catch {
      throw new CardDecryptionError('malformed protected header')
    }
    // Header values the client wrote never reach the detail (it is logged): a card number sent
    // as a kid would land in the log. Only the vault's own values are named.
    if (header.alg !== JWE_ALG) throw new CardDecryptionError('disallowed alg (not the vault\'s)')
    if (header.enc !== JWE_ENC) throw new CardDecryptionError('disallowed enc (not the vault\'s)')
    if (typeof header.kid !== 'string') throw new CardDecryptionError('missing kid')
    const record = await this.keyFor(header.kid)
    if (!record) throw new CardDecryptionError('unknown kid (not one of the vault\'s)')
    try {
      const { plaintext } = await compactDecrypt(compact, await this.privateKey(record), {
        keyManagementAlgorithms: [JWE_ALG],
        contentEncryptionAlgorithms: [JWE_ENC],
      })
      return { plaintext, kid: header.kid }
    } catch (error) {
      throw new CardDecryptionError(`${(error as { code?: string }).code ?? 'decryption failed'} (kid ${record.kid})`)
    }
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
