// What the payments code needs to know about the vault request it serves: who acts, and the
// request's Idempotency-Key, from which every acquirer call's own key is derived.
import crypto from 'node:crypto'
import type { Principal } from '../projects/project.js'
import type { Actor } from '../tokens/changes.js'

export interface RequestMeta {
  actor: Actor
  /** The vault request's Idempotency-Key, when the merchant sent one. */
  idempotencyKey?: string | undefined
  /** SHA-256 of method, path and body, as the idempotency middleware computed it (stored with the payment). */
  requestHash?: string | undefined
  /** The vault's public origin as this request reached it: 3-D Secure's pages and notifications live there. */
  vaultOrigin?: string | undefined
}

/**
 * The acquirer call's Idempotency-Key for one operation of this request, or undefined (the
 * client then makes a fresh one). A retry of the vault request under the same key gets the
 * same acquirer key, so the acquirer replays its first answer instead of charging again. It
 * is a hash, so the acquirer learns nothing of projects or the merchant's keys.
 */
export function acquirerKey(principal: Principal, meta: RequestMeta, operation: string): string | undefined {
  if (meta.idempotencyKey === undefined) return undefined
  const material = `tessera-acquirer-key|${principal.project.id}|${principal.mode}|${operation}|${meta.idempotencyKey}`
  return 'tsr_' + crypto.createHash('sha256').update(material).digest('hex')
}
