// The retention policy (seed 003): a token is kept until 14 months after its card's expiry or
// its last use, whichever is later, plus an extension of at most 24 months.
import { addMonths } from '../clock.js'

export const RETENTION = { months: 14, maxExtensionMonths: 24 } as const

export function retainUntil(row: { expires_at: string; last_used_at: string | null; retention_extension_months: number }): string {
  const base = row.last_used_at && row.last_used_at > row.expires_at ? row.last_used_at : row.expires_at
  return addMonths(new Date(base), RETENTION.months + row.retention_extension_months).toISOString()
}
