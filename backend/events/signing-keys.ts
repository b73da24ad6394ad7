// The webhook signing key ring: ES256 (EC P-256) keys whose private parts the key source wraps,
// stored like the JWE keys. The newest active key signs; after a rotation the previous keys
// stay in the published JWKS for a grace period, so receivers with a cached JWKS keep verifying.
import type { Clock } from '../clock.js'
import { KeyRing, type KeyStore, type PublishedJwk } from '../crypto/key-ring.js'
import type { KeySource } from '../crypto/key-source.js'
import { webhookKeyContext } from '../crypto/key-contexts.js'

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

export interface SigningJwk extends PublishedJwk {
  use: 'sig'
  alg: typeof WEBHOOK_SIGNING_ALG
}

export interface SigningKey {
  kid: string
  privateKey: CryptoKey
}

export { webhookKeyContext }

export class WebhookKeyRing extends KeyRing {
  constructor(store: KeyStore, keySource: KeySource, clock: Clock, options: WebhookKeyRingOptions = {}) {
    super({ alg: WEBHOOK_SIGNING_ALG, use: 'sig', kidPrefix: 'whk-', context: webhookKeyContext }, store, keySource, clock, {
      gracePeriodMs: options.gracePeriodMs ?? WEBHOOK_KEY_DEFAULTS.gracePeriodMs,
      refreshMs: options.refreshMs ?? WEBHOOK_KEY_DEFAULTS.refreshMs,
    })
  }

  /** The public keys receivers verify with, the signing key first. */
  override async jwks(): Promise<{ keys: SigningJwk[] }> {
    return (await super.jwks()) as { keys: SigningJwk[] }
  }

  /** The key that signs now: the newest active one. */
  async signingKey(): Promise<SigningKey> {
    await this.refreshIfStale()
    const active = this.active()
    if (!active) throw new Error('the webhook key ring has no active key; call init() first')
    return { kid: active.kid, privateKey: await this.privateKey(active) }
  }
}
