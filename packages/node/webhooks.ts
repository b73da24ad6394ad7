// Verifies a Tessera webhook in the merchant's server. Depends on jose only, so it can be
// imported without the rest of the vault:
//
//   const event = await verifyWebhook(rawBody, req.headers['tessera-signature'], 'https://vault.example/v1/webhook-keys')
//
// The signature is a compact JWS (ES256) with a detached payload, `header..signature`, over the
// exact body bytes. The key comes from the vault's JWKS by `kid` (fetched once, cached, and
// fetched again when an unknown `kid` appears after a key rotation).
import { base64url, compactVerify, createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet } from 'jose'
import { SIGNATURE_ALG, SIGNATURE_TYPE } from '../../common/webhook-signature.js'

export { SIGNATURE_ALG, SIGNATURE_HEADER, SIGNATURE_TYPE } from '../../common/webhook-signature.js'

export const VERIFY_DEFAULTS = {
  /** A signature made more than this long before (or after) `now` is refused as a replay. */
  toleranceSeconds: 300,
} as const

/** The event a webhook carries (see docs/webhooks.md). */
export interface WebhookEvent {
  object: 'event'
  /** Unique per event and the same on every delivery of it: drop the ones you have seen. */
  id: string
  type: string
  created_at: string
  data: { object: { object: string; [field: string]: unknown } }
  mode: 'test' | 'live'
}

export interface VerifyWebhookOptions {
  /** Your project id: a delivery signed for another project is refused. */
  project?: string
  /** Seconds a signature stays acceptable; `null` turns the age check off. */
  toleranceSeconds?: number | null
  /** The time to check the signature's age against (default: now). */
  now?: Date
}

export type WebhookVerificationReason = 'signature_missing' | 'signature_malformed' | 'signature_invalid' | 'signature_stale' | 'wrong_project' | 'payload_invalid'

/** Every refusal is one class with a stable `code` and a `reason`; branch on those, not on the message. */
export class WebhookVerificationError extends Error {
  static readonly code = 'ERR_TESSERA_WEBHOOK_VERIFICATION'
  readonly code = WebhookVerificationError.code
  constructor(readonly reason: WebhookVerificationReason) {
    super(`Tessera webhook refused: ${reason.replaceAll('_', ' ')}`)
    this.name = 'WebhookVerificationError'
  }
}

type KeySet = ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet>

// One remote key set per URL, so its cache (and cooldown) serves every webhook.
const remoteKeySets = new Map<string, KeySet>()

function keySetFor(source: string | URL | JSONWebKeySet): KeySet {
  if (typeof source === 'object' && !(source instanceof URL)) return createLocalJWKSet(source)
  const url = String(source)
  let set = remoteKeySets.get(url)
  if (!set) {
    set = createRemoteJWKSet(new URL(url))
    remoteKeySets.set(url, set)
  }
  return set
}

function bytesOf(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? new TextEncoder().encode(body) : body
}

/**
 * Checks a webhook's signature against the vault's keys and returns the event it carries.
 * Pass the body exactly as received (before any JSON parsing), the `Tessera-Signature` header,
 * and the vault's `/v1/webhook-keys` URL or a JWKS you hold. Throws WebhookVerificationError.
 */
export async function verifyWebhook(
  rawBody: string | Uint8Array,
  signatureHeader: string | null | undefined,
  jwksUrlOrKeys: string | URL | JSONWebKeySet,
  options: VerifyWebhookOptions = {},
): Promise<WebhookEvent> {
  if (!signatureHeader) throw new WebhookVerificationError('signature_missing')
  const parts = signatureHeader.trim().split('.')
  if (parts.length !== 3 || parts[1] !== '' || !parts[0] || !parts[2]) throw new WebhookVerificationError('signature_malformed')
  const body = bytesOf(rawBody)
  const compact = `${parts[0]}.${base64url.encode(body)}.${parts[2]}`
  let header: Awaited<ReturnType<typeof compactVerify>>['protectedHeader']
  try {
    header = (await compactVerify(compact, keySetFor(jwksUrlOrKeys), { algorithms: [SIGNATURE_ALG] })).protectedHeader
  } catch {
    throw new WebhookVerificationError('signature_invalid')
  }
  if (header.typ !== SIGNATURE_TYPE) throw new WebhookVerificationError('signature_invalid')
  const tolerance = options.toleranceSeconds === undefined ? VERIFY_DEFAULTS.toleranceSeconds : options.toleranceSeconds
  if (tolerance !== null) {
    const now = (options.now ?? new Date()).getTime() / 1000
    if (typeof header.iat !== 'number' || Math.abs(now - header.iat) > tolerance) throw new WebhookVerificationError('signature_stale')
  }
  if (options.project !== undefined && header.aud !== options.project) throw new WebhookVerificationError('wrong_project')
  let event: WebhookEvent
  try {
    event = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as WebhookEvent
  } catch {
    throw new WebhookVerificationError('payload_invalid')
  }
  if (typeof event !== 'object' || event === null || event.object !== 'event' || typeof event.id !== 'string') throw new WebhookVerificationError('payload_invalid')
  return event
}
