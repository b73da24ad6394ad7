// The webhook signing key ring: ES256 (EC P-256) keys whose private parts the key source wraps,
// stored like the JWE keys. The newest active key signs; after a rotation the previous keys
// stay in the published JWKS for a grace period, so receivers with a cached JWKS keep verifying.
import crypto from 'node:crypto'
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'
import type { Clock } from '../clock.js'
import type { JweKeyRecord, JweKeyStore } from '../crypto/jwe-keys.js'
import type { KeySource } from '../crypto/key-source.js'

export const WEBHOOK_SIGNING_ALG = 'ES256'

export const WEBHOOK_KEY_DEFAULTS = {
  /** How long a rotated-out key stays published. */
  gracePeriodMs: 7 * 24 * 60 * 60 * 1000,
  /** How often a process re-reads the ring (a rotation made by another process). */
  refreshMs: 60_000,
} as const

export interface WebhookKeyRingOptions {
  gracePeriodMs?: number
  refreshMs?: number
}

export interface SigningJwk extends JWK {
  kid: string
  use: 'sig'
  alg: typeof WEBHOOK_SIGNING_ALG
}

export interface SigningKey {
  kid: string
  privateKey: CryptoKey
}

export const webhookKeyContext = (kid: string) => `webhook-key|${kid}`

export class WebhookKeyRing {
  #records: JweKeyRecord[] = []
  #signing: SigningKey | null = null
  #loadedAt = Number.NEGATIVE_INFINITY
  #loading: Promise<void> | null = null
  readonly #options: Required<WebhookKeyRingOptions>

  constructor(
    private readonly store: JweKeyStore,
    private readonly keySource: KeySource,
    private readonly clock: Clock,
    options: WebhookKeyRingOptions = {},
  ) {
    this.#options = Object.freeze({ gracePeriodMs: options.gracePeriodMs ?? WEBHOOK_KEY_DEFAULTS.gracePeriodMs, refreshMs: options.refreshMs ?? WEBHOOK_KEY_DEFAULTS.refreshMs })
  }

  /** Loads the ring, creating the first key when there is none. */
  async init(): Promise<void> {
    await this.reload()
    if (!this.#signing) {
      await this.store.insert(await this.newKey(), this.keySource.currentKeyId)
      await this.reload()
    }
  }

  /** A new key signs from now on; the previous ones stay published for the grace period. */
  async rotate(): Promise<string> {
    const record = await this.newKey()
    await this.store.rotate(record, this.keySource.currentKeyId, new Date(this.clock.now().getTime() + this.#options.gracePeriodMs).toISOString())
    await this.reload()
    return record.kid
  }

  /** The public keys receivers verify with, the signing key first. */
  async jwks(): Promise<{ keys: SigningJwk[] }> {
    await this.refreshIfStale()
    const ordered = [...this.#records].sort((a, b) => Number(b.status === 'active') - Number(a.status === 'active') || b.createdAt.localeCompare(a.createdAt))
    return { keys: ordered.map((r) => ({ ...r.publicJwk, kid: r.kid, use: 'sig', alg: WEBHOOK_SIGNING_ALG })) }
  }

  async signingKey(): Promise<SigningKey> {
    await this.refreshIfStale()
    if (!this.#signing) throw new Error('the webhook key ring has no active key; call init() first')
    return this.#signing
  }

  private async refreshIfStale(): Promise<void> {
    if (this.clock.now().getTime() - this.#loadedAt >= this.#options.refreshMs) await this.reload()
  }

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
    this.#records = records.filter((r) => !due.includes(r))
    // Two processes may each have created a first key at the same moment: the newest signs.
    const active = this.#records.filter((r) => r.status === 'active').sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]
    if (active && active.kid !== this.#signing?.kid) this.#signing = { kid: active.kid, privateKey: await this.importPrivate(active) }
    this.#loadedAt = now.getTime()
  }

  private async importPrivate(record: JweKeyRecord): Promise<CryptoKey> {
    const d = Buffer.from(await this.keySource.unwrap(record.privateWrapped, webhookKeyContext(record.kid))).toString('utf8')
    return (await importJWK({ ...record.publicJwk, d }, WEBHOOK_SIGNING_ALG)) as CryptoKey
  }

  private async newKey(): Promise<JweKeyRecord> {
    const { publicKey, privateKey } = await generateKeyPair(WEBHOOK_SIGNING_ALG, { extractable: true })
    const privateJwk = await exportJWK(privateKey)
    const publicJwk = await exportJWK(publicKey)
    const now = this.clock.now()
    const kid = `whk-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${crypto.randomBytes(6).toString('hex')}`
    return {
      kid,
      publicJwk: { kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y },
      privateWrapped: await this.keySource.wrap(Buffer.from(privateJwk.d as string, 'utf8'), webhookKeyContext(kid)),
      status: 'active',
      createdAt: now.toISOString(),
      retiresAt: null,
    }
  }
}
