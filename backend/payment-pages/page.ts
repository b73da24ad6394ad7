// The API's payment page object (DESIGN.md "Hosted payment page"), its ids and secrets, and the
// URLs the page sends the shopper back to.
import crypto from 'node:crypto'
import type { PaymentObject } from '../payments/payment.js'
import type { StoredPaymentPage } from '../store/payment-pages.js'
import type { PaymentPageMode } from '../store/schema.js'

export type PaymentPageStatusOut = 'open' | 'completed' | 'failed' | 'expired'

/** A type (not an interface) so that it fits the event outbox's open object type. */
export type PaymentPageObject = {
  object: 'payment_page'
  id: string
  url: string
  status: PaymentPageStatusOut
  expires_at: string
  mode: PaymentPageMode
  livemode: boolean
  customer_id: string | null
  amount: number | null
  currency: string | null
  capture: boolean | null
  save_card: boolean
  locale: string | null
  return_url: string
  cancel_url: string | null
  created_at: string
  completed_at: string | null
  token?: string
  payment?: PaymentObject
}

/** How long a page takes a card: 30 minutes (DESIGN.md). */
export const PAGE_LIFETIME_MS = 30 * 60 * 1000

/** After this many declines the page ends `failed` and sends the shopper back. */
export const MAX_DECLINES = 3

/** 24 random bytes: the id is the page's only address, so it must not be guessable. */
export const newPageId = () => 'pp_' + crypto.randomBytes(24).toString('base64url')
export const isPageId = (id: string) => /^pp_[A-Za-z0-9_-]{32}$/.test(id)

export const newPageSecret = () => 'pps_' + crypto.randomBytes(32).toString('base64url')
export const PAGE_SECRET_SHAPE = /^pps_[A-Za-z0-9_-]{43}$/
export const hashPageSecret = (secret: string) => crypto.createHash('sha256').update(secret).digest('hex')

/**
 * What the shopper sees and the API says: an open page past its time is expired, unless a try
 * started in time still holds it (a 3-D Secure challenge may end after the 30 minutes).
 */
export function statusOf(page: StoredPaymentPage, now: Date): PaymentPageStatusOut {
  const at = now.toISOString()
  const trying = page.locked_until !== null && page.locked_until > at
  if (page.status === 'open' && page.expires_at <= at && !trying) return 'expired'
  return page.status
}

/** `return_url?payment_page=<id>` (or the cancel URL), keeping the merchant's own query and fragment. */
export function backUrl(base: string, id: string): string {
  const url = new URL(base)
  url.searchParams.set('payment_page', id)
  return url.toString()
}

export function presentPage(page: StoredPaymentPage, origin: string, now: Date, payment?: PaymentObject): PaymentPageObject {
  const object: PaymentPageObject = {
    object: 'payment_page',
    id: page.id,
    url: `${origin}/pay/${page.id}`,
    status: statusOf(page, now),
    expires_at: page.expires_at,
    mode: page.page_mode,
    livemode: page.mode === 'live',
    customer_id: page.customer_id,
    amount: page.amount,
    currency: page.currency,
    capture: page.page_mode === 'purchase' ? page.capture === 1 : null,
    save_card: page.save_card === 1,
    locale: page.locale,
    return_url: page.return_url,
    cancel_url: page.cancel_url,
    created_at: page.created_at,
    completed_at: page.completed_at,
  }
  if (page.token !== null) object.token = page.token
  if (payment) object.payment = payment
  return object
}
