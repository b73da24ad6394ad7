// Card validation as pure functions: Luhn, length by brand, expiry, CVC by brand.
// Each check answers valid, potentially valid (keep typing) or an error with a stable code.
import creditCardType from 'credit-card-type'
import { brandOf, type Brand } from './brand.js'

export type FieldName = 'number' | 'expiry' | 'cvc' | 'name'

export type CardErrorCode =
  | 'incomplete_number'
  | 'invalid_number'
  | 'unsupported_brand'
  | 'incomplete_expiry'
  | 'invalid_expiry'
  | 'expired_card'
  | 'expiry_too_far'
  | 'incomplete_cvc'
  | 'invalid_cvc'
  | 'invalid_name'

export interface FieldState {
  /** Complete and correct. */
  valid: boolean
  /** Not valid yet but could still become valid by typing more: no error is shown. */
  potentiallyValid: boolean
  /** Set when the value cannot be valid as it stands (or when it is complete and wrong). */
  error?: CardErrorCode
}

/** How far in the future an expiry may be before it is considered absurd. */
export const MAX_EXPIRY_YEARS = 20

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false
  let sum = 0
  let double = false
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    double = !double
  }
  return sum % 10 === 0
}

/** The digit that makes `partial + digit` pass Luhn. */
export function luhnCheckDigit(partial: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(partial + d)) return String(d)
  throw new Error('unreachable')
}

const ok: FieldState = { valid: true, potentiallyValid: true }
const typing: FieldState = { valid: false, potentiallyValid: true }
const fail = (error: CardErrorCode): FieldState => ({ valid: false, potentiallyValid: false, error })

export function validateNumber(digits: string, options: { complete?: boolean } = {}): FieldState {
  if (!/^\d*$/.test(digits)) return fail('invalid_number')
  if (digits.length === 0) return options.complete ? fail('incomplete_number') : typing
  const info = brandOf(digits)
  const maxLength = Math.max(...info.lengths)
  if (digits.length > maxLength) return fail('invalid_number')
  if (info.lengths.includes(digits.length) && digits.length >= 12) {
    if (luhnValid(digits)) return info.brand === 'unknown' && options.complete ? fail('unsupported_brand') : ok
    // A longer length of the same brand may still follow (Visa 16 → 19).
    if (digits.length < maxLength && !options.complete) return { valid: false, potentiallyValid: true }
    return fail('invalid_number')
  }
  return options.complete ? fail('incomplete_number') : typing
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
  if (compact.length === 0) return options.complete ? fail('incomplete_expiry') : typing
  if (!/^\d+$/.test(compact)) return fail('invalid_expiry')
  if (compact.length === 1) return options.complete ? fail('incomplete_expiry') : typing
  const parsed = parseExpiry(input)
  if (!parsed) {
    // A two-digit month is checked at once, before the year is typed ("00 / ", "13").
    const monthDigits = input.includes('/') ? (input.split('/')[0] ?? '').replace(/\s/g, '') : compact.slice(0, 2)
    if (monthDigits.length === 2 && (Number(monthDigits) < 1 || Number(monthDigits) > 12)) return fail('invalid_expiry')
    return options.complete || compact.length > 6 ? fail(compact.length > 6 ? 'invalid_expiry' : 'incomplete_expiry') : typing
  }
  return checkExpiryDate(parsed.month, parsed.year, now)
}

export function checkExpiryDate(month: number, year: number, now: Date): FieldState {
  if (!Number.isInteger(month) || month < 1 || month > 12) return fail('invalid_expiry')
  const nowMonths = now.getUTCFullYear() * 12 + now.getUTCMonth()
  const cardMonths = year * 12 + (month - 1)
  if (cardMonths < nowMonths) return fail('expired_card')
  if (cardMonths > nowMonths + MAX_EXPIRY_YEARS * 12) return fail('expiry_too_far')
  return ok
}

export function cvcLengthFor(brand: Brand): number {
  return brand === 'unknown' ? 3 : (creditCardType.getTypeInfo(brand)?.code.size ?? 3)
}

export function validateCvc(cvc: string, brand: Brand, options: { complete?: boolean } = {}): FieldState {
  if (!/^\d*$/.test(cvc)) return fail('invalid_cvc')
  const expected = brand === 'unknown' ? null : cvcLengthFor(brand)
  if (cvc.length === 0) return options.complete ? fail('incomplete_cvc') : typing
  if (expected === null) return cvc.length === 3 || cvc.length === 4 ? ok : cvc.length < 3 && !options.complete ? typing : fail(cvc.length < 3 ? 'incomplete_cvc' : 'invalid_cvc')
  if (cvc.length === expected) return ok
  if (cvc.length < expected) return options.complete ? fail('incomplete_cvc') : typing
  return fail('invalid_cvc')
}

export function validateName(name: string): FieldState {
  if (name.length > 64 || /[\u0000-\u001f\u007f]/.test(name)) return fail('invalid_name')
  return ok
}
