// Card rules the frame and the vault share, so they always agree: brands from the
// credit-card-type table (detection, lengths, gaps, CVC size), Luhn, the expiry date check.
// Pure functions with no DOM and no Node: the frame bundles this, the vault imports it.
import creditCardType from 'credit-card-type'

export type Brand =
  | 'visa'
  | 'mastercard'
  | 'american-express'
  | 'diners-club'
  | 'discover'
  | 'jcb'
  | 'unionpay'
  | 'maestro'
  | 'mir'
  | 'elo'
  | 'hiper'
  | 'hipercard'
  | 'verve'
  | 'troy'
  | 'unknown'

export interface BrandInfo {
  brand: Brand
  /** Possible total lengths of a number of this brand. */
  lengths: number[]
  /** Positions after which a space is shown while formatting. */
  gaps: number[]
  cvcLength: number
  cvcName: string
}

const UNKNOWN: BrandInfo = { brand: 'unknown', lengths: [12, 13, 14, 15, 16, 17, 18, 19], gaps: [4, 8, 12], cvcLength: 3, cvcName: 'CVC' }

/** The brands a prefix may still belong to (several while only a few digits are typed). */
export function candidateBrands(digits: string): BrandInfo[] {
  return creditCardType(digits).map((t) => ({
    brand: t.type as Brand,
    lengths: t.lengths,
    gaps: t.gaps,
    cvcLength: t.code.size,
    cvcName: t.code.name,
  }))
}

/** The brand of a number, or `unknown` while the prefix is ambiguous or matches none. */
export function brandOf(digits: string): BrandInfo {
  if (digits.length === 0) return UNKNOWN
  const candidates = candidateBrands(digits)
  if (candidates.length === 1) return candidates[0] as BrandInfo
  // credit-card-type orders by match strength; a full-length number that still matches several
  // (rare overlaps) takes the strongest.
  const strongest = candidates.find((c) => c.lengths.includes(digits.length))
  return digits.length >= 12 && strongest ? strongest : UNKNOWN
}

export function isKnownBrand(digits: string): boolean {
  return brandOf(digits).brand !== 'unknown'
}

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

export const VALID_FIELD: FieldState = { valid: true, potentiallyValid: true }
export const invalidField = (error: CardErrorCode): FieldState => ({ valid: false, potentiallyValid: false, error })

export function checkExpiryDate(month: number, year: number, now: Date): FieldState {
  if (!Number.isInteger(month) || month < 1 || month > 12) return invalidField('invalid_expiry')
  const nowMonths = now.getUTCFullYear() * 12 + now.getUTCMonth()
  const cardMonths = year * 12 + (month - 1)
  if (cardMonths < nowMonths) return invalidField('expired_card')
  if (cardMonths > nowMonths + MAX_EXPIRY_YEARS * 12) return invalidField('expiry_too_far')
  return VALID_FIELD
}

export function cvcLengthFor(brand: Brand): number {
  return brand === 'unknown' ? 3 : (creditCardType.getTypeInfo(brand)?.code.size ?? 3)
}
