// Shopper texts of 3-D Secure (the element's dialog and the vault's page inside it), in every
// language the element speaks: keyed by the element's Locale, so a new language cannot be
// added without them. Kept apart from the frame's texts: the loader's chunks import no frame code.
import type { Locale } from '../protocol.js'

export interface ThreeDSecureTexts {
  title: string
  intro: string
  /** The bank's page, framed. */
  frameTitle: string
  cancel: string
  waiting: string
  done: string
}

export const THREE_D_SECURE_TEXTS: Record<Locale, ThreeDSecureTexts> = {
  en: {
    title: 'Confirm your payment',
    intro: 'Your bank asks you to confirm this payment.',
    frameTitle: 'Payment confirmation by your bank',
    cancel: 'Cancel',
    waiting: 'Waiting for your bank…',
    done: 'Your bank has answered.',
  },
  ro: {
    title: 'Confirmați plata',
    intro: 'Banca dumneavoastră vă cere să confirmați această plată.',
    frameTitle: 'Confirmarea plății de către banca dumneavoastră',
    cancel: 'Anulare',
    waiting: 'Se așteaptă răspunsul băncii…',
    done: 'Banca a răspuns.',
  },
}
