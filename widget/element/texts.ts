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
  de: { title: 'Sicheres Feld für Kartenzahlung', empty: 'Geben Sie Ihre Kartendaten ein.', unavailable: 'Kartenzahlung ist derzeit nicht verfügbar.' },
  fr: { title: 'Champ sécurisé de paiement par carte', empty: 'Saisissez les informations de votre carte.', unavailable: "Le paiement par carte n'est pas disponible pour le moment." },
  es: { title: 'Campo seguro de pago con tarjeta', empty: 'Introduce los datos de tu tarjeta.', unavailable: 'El pago con tarjeta no está disponible en este momento.' },
  it: { title: 'Campo sicuro per il pagamento con carta', empty: 'Inserisci i dati della carta.', unavailable: 'Il pagamento con carta non è al momento disponibile.' },
  pl: { title: 'Bezpieczne pole płatności kartą', empty: 'Wpisz dane karty.', unavailable: 'Płatność kartą jest chwilowo niedostępna.' },
  nl: { title: 'Beveiligd veld voor kaartbetaling', empty: 'Vul uw kaartgegevens in.', unavailable: 'Betalen met een kaart is nu niet mogelijk.' },
}
