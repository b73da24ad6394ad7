// The few texts the element shows itself, before (or instead of) the frame, which holds all the
// others. Kept tiny: they are part of the loader's 12 KB.
import type { Locale } from '../protocol.js'

export interface ElementTexts {
  /** The iframe's title. */
  title: string
  /** Validity message before the frame has answered. */
  empty: string
  /** The one line shown when the card field cannot start (the cause goes to tessera-error). */
  unavailable: string
}

export const ELEMENT_TEXTS: Record<Locale, ElementTexts> = {
  en: { title: 'Secure card payment field', empty: 'Enter your card details.', unavailable: 'Card payment is not available right now.' },
  ro: { title: 'Câmp securizat pentru datele cardului', empty: 'Introduceți datele cardului.', unavailable: 'Plata cu cardul nu este disponibilă momentan.' },
}
