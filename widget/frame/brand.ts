// Card brands from the credit-card-type table: detection, lengths, gaps and CVC size.
// The frame and the vault's basic verification share these functions so they always agree.
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
