// The shape of one language's texts for the frame; en.ts and ro.ts fill it in.
import type { CardErrorCode } from '../validate.js'

/** Vault and frame errors the customer may see, beyond the field rules of validate.ts. */
export type ServiceErrorCode =
  | 'test_card_required'
  | 'live_card_required'
  | 'card_declined'
  | 'network_error'
  | 'unknown_error'

export interface Messages {
  /** The language tag put on the frame's <html lang>. */
  lang: string
  labels: { number: string; expiry: string; cvc: string; name: string }
  placeholders: { number: string; expiry: string; cvc: string; name: string }
  /** Read to screen readers next to the brand icon. */
  unknownBrand: string
  errors: Record<CardErrorCode | ServiceErrorCode, string>
  /** What the element's form validity says while it holds no token. */
  validity: { empty: string; incomplete: string; untokenized: string }
  saved: {
    legend: string
    newCard: string
    /** e.g. "Visa ending in 4242, expires 05/30". */
    describe(brand: string, last4: string, expiry: string): string
    /** The label of the chosen saved card's CVC input, when the project requires it. */
    cvcFor(brand: string, last4: string): string
  }
}
