// Turns stored rows into the API's token object: masked card only.
import type { TokenRow, TokenUpdater } from '../store/schema.js'
import type { SentCard } from './tokenize.js'

export interface TokenObject {
  object: 'token'
  token: string
  status: Exclude<TokenRow['status'], 'deleted'>
  mode: TokenRow['mode']
  customer_id: string | null
  card: { brand: string; bin: string; last4: string; exp_month: number; exp_year: number; name: string | null }
  fingerprint: string
  verification: { strategy: string; result: string }
  created_at: string
  updated_at: string
  last_used_at: string | null
  /** Who changed the token last: `merchant`, `customer`, `account_updater`, or null. */
  last_updated_by: TokenUpdater | null
  /** The stored credential's network transaction id (seed 003), or null. */
  network_transaction_id: string | null
  expires_at: string
  retain_until: string
}

export function presentToken(row: TokenRow): TokenObject {
  return {
    object: 'token',
    token: row.token,
    status: row.status as TokenObject['status'],
    mode: row.mode,
    customer_id: row.customer_id,
    card: { brand: row.brand, bin: row.bin, last4: row.last4, exp_month: row.exp_month, exp_year: row.exp_year, name: row.holder_name },
    fingerprint: row.fingerprint,
    verification: { strategy: row.verification_strategy, result: row.verification_result },
    created_at: row.created_at,
    updated_at: row.updated_at,
    last_used_at: row.last_used_at,
    last_updated_by: row.last_updated_by,
    network_transaction_id: row.network_transaction_id,
    expires_at: row.expires_at,
    retain_until: row.retain_until,
  }
}

/**
 * A publishable key's answer to a tokenize: the token value, its status and the card exactly as
 * the request sent it. Never what is stored from earlier (customer, holder name, fingerprint,
 * dates, verification): whoever holds a card number and the public key learns nothing more.
 */
export function presentTokenizedForBrowser(row: TokenRow, sent: SentCard) {
  return {
    object: 'token' as const,
    token: row.token,
    status: row.status as TokenObject['status'],
    card: { brand: sent.brand, bin: sent.bin, last4: sent.last4, exp_month: sent.exp_month, exp_year: sent.exp_year },
  }
}

/** What a customer session may see of a saved card: enough to choose it, nothing more. */
export function presentSavedCard(row: TokenRow) {
  return {
    object: 'saved_card' as const,
    token: row.token,
    card: { brand: row.brand, last4: row.last4, exp_month: row.exp_month, exp_year: row.exp_year },
  }
}

export function presentDeleted(token: string) {
  return { object: 'token' as const, token, deleted: true as const }
}
