// The event object the outbox stores and webhooks deliver, and the event types the vault emits.
import type { Mode } from '../store/schema.js'
import type { TokenChangeType } from '../tokens/changes.js'

export const TOKEN_EVENT_TYPES = ['token.created', 'token.updated', 'token.revoked', 'token.expired', 'token.invalidated', 'token.deleted'] as const satisfies readonly TokenChangeType[]
export const PAYMENT_EVENT_TYPES = ['payment.authorized', 'payment.captured', 'payment.refunded', 'payment.declined', 'payment.updated', 'payout.paid', 'payout.declined', 'payout.failed'] as const
export const PAYMENT_PAGE_EVENT_TYPES = ['payment_page.completed'] as const
export const EVENT_TYPES = [...TOKEN_EVENT_TYPES, ...PAYMENT_EVENT_TYPES, ...PAYMENT_PAGE_EVENT_TYPES] as const

export type PaymentEventType = (typeof PAYMENT_EVENT_TYPES)[number]
export type EventType = (typeof EVENT_TYPES)[number]

/** What an event carries: a token object (masked card), a token tombstone, or a payment or payout object. */
export interface EventDataObject {
  object: string
  [field: string]: unknown
}

/** The body of a webhook, byte for byte what `Tessera-Signature` signs. */
export interface EventObject {
  object: 'event'
  id: string
  type: EventType
  created_at: string
  data: { object: EventDataObject }
  mode: Mode
}
