// The retention policy (seed 003): a token is kept until 14 months after its card's expiry or
// its last use, whichever is later, plus an extension of at most 24 months.
import { addMonths } from '../clock.js'
import type { TokenUpdate } from '../store/schema.js'

export const RETENTION = { months: 14, maxExtensionMonths: 24 } as const

export function retainUntil(row: { expires_at: string; last_used_at: string | null; retention_extension_months: number }): string {
  const base = row.last_used_at && row.last_used_at > row.expires_at ? row.last_used_at : row.expires_at
  return addMonths(new Date(base), RETENTION.months + row.retention_extension_months).toISOString()
}

/**
 * What a deleted token keeps (DELETE or the retention purge): a tombstone with no card data,
 * no ciphertext, data key, name, fingerprint, BIN or account key. The last four and the expiry
 * stay, as on a receipt.
 */
export function tombstone(now: string): TokenUpdate {
  return { status: 'deleted', card_ciphertext: null, data_key_id: null, account_key: null, holder_name: null, fingerprint: '', bin: '', deleted_at: now, updated_at: now }
}
