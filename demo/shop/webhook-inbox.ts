// The shop's webhook receiver: every delivery is checked with the signature helper before it is
// believed, duplicates (the vault delivers at least once) are noticed by event id, and the last
// few hundred are kept in memory for the Webhooks page.
import crypto from 'node:crypto'
import { base64url, CompactSign, exportJWK, generateKeyPair, type JSONWebKeySet } from 'jose'
import { SIGNATURE_ALG, SIGNATURE_TYPE, verifyWebhook, WebhookVerificationError, type WebhookEvent } from '../../packages/node/index.js'
import type { ProjectDirectory } from './project-keys.js'

export interface ReceivedWebhook {
  receivedAt: string
  /** From the body; for an unverified delivery only what it claims. */
  eventId: string | null
  type: string | null
  projectLabel: string | null
  verified: boolean
  /** Why verification failed (WebhookVerificationError's reason). */
  reason: string | null
  /** A verified event whose id was seen before: acknowledged, not processed again. */
  duplicate: boolean
  dataObject: Record<string, unknown> | null
}

export interface WebhookInboxOptions {
  /** The vault's /v1/webhook-keys URL (or a JWKS, in tests). */
  jwks: string | JSONWebKeySet
  projects: ProjectDirectory
  capacity?: number
}

export const INBOX_DEFAULTS = { capacity: 300 } as const

/** The `aud` a signature's protected header claims (unverified: only to pick which project to check for). */
function claimedAudience(signature: string | undefined): string | undefined {
  try {
    const header = JSON.parse(new TextDecoder().decode(base64url.decode(signature?.split('.')[0] ?? '')))
    return typeof header.aud === 'string' ? header.aud : undefined
  } catch {
    return undefined
  }
}

function claimedEvent(rawBody: Uint8Array): Partial<WebhookEvent> {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(rawBody))
    return typeof parsed === 'object' && parsed !== null ? parsed : {}
  } catch {
    return {}
  }
}

export class WebhookInbox {
  readonly #received: ReceivedWebhook[] = []
  readonly #seen = new Set<string>()
  readonly #capacity: number

  constructor(private readonly options: WebhookInboxOptions) {
    this.#capacity = options.capacity ?? INBOX_DEFAULTS.capacity
  }

  /** Newest first. */
  list(): readonly ReceivedWebhook[] {
    return [...this.#received].reverse()
  }

  async receive(rawBody: Uint8Array, signature: string | undefined): Promise<ReceivedWebhook> {
    const project = this.options.projects.byId(claimedAudience(signature))
    let entry: ReceivedWebhook
    try {
      // An audience that is none of our projects cannot match '': refused as wrong_project.
      const event = await verifyWebhook(rawBody, signature, this.options.jwks, { project: project?.project_id ?? '' })
      const duplicate = this.#seen.has(event.id)
      this.#seen.add(event.id)
      entry = { receivedAt: new Date().toISOString(), eventId: event.id, type: event.type, projectLabel: project?.label ?? null, verified: true, reason: null, duplicate, dataObject: event.data.object }
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error
      const claimed = claimedEvent(rawBody)
      entry = {
        receivedAt: new Date().toISOString(),
        eventId: typeof claimed.id === 'string' ? claimed.id : null,
        type: typeof claimed.type === 'string' ? claimed.type : null,
        projectLabel: project?.label ?? null,
        verified: false,
        reason: error.reason,
        duplicate: false,
        dataObject: null,
      }
    }
    this.#received.push(entry)
    if (this.#received.length > this.#capacity) this.#received.splice(0, this.#received.length - this.#capacity)
    return entry
  }

  /**
   * What an attacker who knows the webhook URL could send: a well-formed event, signed with a
   * key of their own. It goes through the same check as any delivery, and fails it.
   */
  async receiveForgery(projectId: string | undefined): Promise<ReceivedWebhook> {
    const body = new TextEncoder().encode(
      JSON.stringify({ object: 'event', id: `evt_forged_${crypto.randomBytes(6).toString('hex')}`, type: 'payment.captured', created_at: new Date().toISOString(), data: { object: { object: 'payment', id: 'pay_forged', status: 'captured', amount: 100000, currency: 'EUR' } }, mode: 'test' }),
    )
    const { privateKey, publicKey } = await generateKeyPair(SIGNATURE_ALG)
    const kid = `forged-${(await exportJWK(publicKey)).x?.slice(0, 8)}`
    const jws = await new CompactSign(body).setProtectedHeader({ alg: SIGNATURE_ALG, kid, typ: SIGNATURE_TYPE, iat: Math.floor(Date.now() / 1000), aud: projectId }).sign(privateKey)
    const [header, , signature] = jws.split('.')
    return this.receive(body, `${header}..${signature}`)
  }
}
