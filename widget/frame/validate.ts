// The frame's field validation while the customer types: each check answers valid, potentially
// valid (keep typing) or an error with a stable code. The card rules themselves (Luhn, brands,
// expiry) live in common/card-rules.ts, shared with the vault.
import { brandOf, checkExpiryDate, cvcLengthFor, invalidField, luhnValid, VALID_FIELD, type Brand, type FieldState } from '../../common/card-rules.js'

export type { CardErrorCode, FieldState } from '../../common/card-rules.js'

export type FieldName = 'number' | 'expiry' | 'cvc' | 'name'

const typing: FieldState = { valid: false, potentiallyValid: true }

export function validateNumber(digits: string, options: { complete?: boolean } = {}): FieldState {
  if (!/^\d*$/.test(digits)) return invalidField('invalid_number')
  if (digits.length === 0) return options.complete ? invalidField('incomplete_number') : typing
  const info = brandOf(digits)
  const maxLength = Math.max(...info.lengths)
  if (digits.length > maxLength) return invalidField('invalid_number')
  if (info.lengths.includes(digits.length) && digits.length >= 12) {
    if (luhnValid(digits)) return info.brand === 'unknown' && options.complete ? invalidField('unsupported_brand') : VALID_FIELD
    // A longer length of the same brand may still follow (Visa 16 → 19).
    if (digits.length < maxLength && !options.complete) return { valid: false, potentiallyValid: true }
    return invalidField('invalid_number')
  }
  return options.complete ? invalidField('incomplete_number') : typing
}

export interface Expiry {
  month: number
  year: number
}

/**
 * Parses what the customer typed: `MMYY` as bare digits, `MM/YY`, `MM / YY`, `MM/YYYY`.
 * Returns null while the input is not a full expiry yet.
 */
export function parseExpiry(input: string): Expiry | null {
  const m = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(input)
  if (!m) return null
  const rawMonth = m[1] as string
  const rawYear = m[2] as string
  const digitsOnly = !input.includes('/')
  // Bare digits must be MMYY or MMYYYY: "125" is not a complete expiry.
  if (digitsOnly && rawMonth.length !== 2) return null
  const month = Number(rawMonth)
  const year = rawYear.length === 2 ? 2000 + Number(rawYear) : Number(rawYear)
  return { month, year }
}

export function validateExpiry(input: string, now: Date, options: { complete?: boolean } = {}): FieldState {
  const compact = input.replace(/[\s/]/g, '')
  if (compact.length === 0) return options.complete ? invalidField('incomplete_expiry') : typing
  if (!/^\d+$/.test(compact)) return invalidField('invalid_expiry')
  if (compact.length === 1) return options.complete ? invalidField('incomplete_expiry') : typing
  const parsed = parseExpiry(input)
  if (!parsed) {
    // A two-digit month is checked at once, before the year is typed ("00 / ", "13").
    const monthDigits = input.includes('/') ? (input.split('/')[0] ?? '').replace(/\s/g, '') : compact.slice(0, 2)
    if (monthDigits.length === 2 && (Number(monthDigits) < 1 || Number(monthDigits) > 12)) return invalidField('invalid_expiry')
    return options.complete || compact.length > 6 ? invalidField(compact.length > 6 ? 'invalid_expiry' : 'incomplete_expiry') : typing
  }
  return checkExpiryDate(parsed.month, parsed.year, now)
}

export function validateCvc(cvc: string, brand: Brand, options: { complete?: boolean } = {}): FieldState {
  if (!/^\d*$/.test(cvc)) return invalidField('invalid_cvc')
  const expected = brand === 'unknown' ? null : cvcLengthFor(brand)
  if (cvc.length === 0) return options.complete ? invalidField('incomplete_cvc') : typing
  if (expected === null) return cvc.length === 3 || cvc.length === 4 ? VALID_FIELD : cvc.length < 3 && !options.complete ? typing : invalidField(cvc.length < 3 ? 'incomplete_cvc' : 'invalid_cvc')
  if (cvc.length === expected) return VALID_FIELD
  if (cvc.length < expected) return options.complete ? invalidField('incomplete_cvc') : typing
  return invalidField('invalid_cvc')
}

export function validateName(name: string): FieldState {
  if (name.length > 64 || /[\u0000-\u001f\u007f]/.test(name)) return invalidField('invalid_name')
  return VALID_FIELD
}
