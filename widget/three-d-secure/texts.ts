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
  de: {
    title: 'Zahlung bestätigen',
    intro: 'Ihre Bank bittet Sie, diese Zahlung zu bestätigen.',
    frameTitle: 'Zahlungsbestätigung durch Ihre Bank',
    cancel: 'Abbrechen',
    waiting: 'Warten auf Ihre Bank…',
    done: 'Ihre Bank hat geantwortet.',
  },
  fr: {
    title: 'Confirmez votre paiement',
    intro: 'Votre banque vous demande de confirmer ce paiement.',
    frameTitle: 'Confirmation du paiement par votre banque',
    cancel: 'Annuler',
    waiting: 'En attente de votre banque…',
    done: 'Votre banque a répondu.',
  },
  es: {
    title: 'Confirma tu pago',
    intro: 'Tu banco te pide que confirmes este pago.',
    frameTitle: 'Confirmación del pago por tu banco',
    cancel: 'Cancelar',
    waiting: 'Esperando a tu banco…',
    done: 'Tu banco ha respondido.',
  },
  it: {
    title: 'Conferma il pagamento',
    intro: 'La tua banca ti chiede di confermare questo pagamento.',
    frameTitle: 'Conferma del pagamento da parte della tua banca',
    cancel: 'Annulla',
    waiting: 'In attesa della tua banca…',
    done: 'La tua banca ha risposto.',
  },
  pl: {
    title: 'Potwierdź płatność',
    intro: 'Twój bank prosi o potwierdzenie tej płatności.',
    frameTitle: 'Potwierdzenie płatności przez Twój bank',
    cancel: 'Anuluj',
    waiting: 'Czekamy na odpowiedź banku…',
    done: 'Bank odpowiedział.',
  },
  nl: {
    title: 'Bevestig uw betaling',
    intro: 'Uw bank vraagt u deze betaling te bevestigen.',
    frameTitle: 'Betalingsbevestiging door uw bank',
    cancel: 'Annuleren',
    waiting: 'Wachten op uw bank…',
    done: 'Uw bank heeft geantwoord.',
  },
}
