// The hosted payment page's own texts, one set per language the card field speaks (the card
// inputs keep the frame's texts; six more languages in texts-more.ts). Pure data: the vault renders the page with it and the page's
// script shows its messages with it. A language added to LOCALES must be added here too.
import type { Locale } from '../protocol.js'
import { de, es, fr, it, nl, pl } from './texts-more.js'

export interface PageTexts {
  /** Heading and button of a purchase page, e.g. "Pay €12.50". */
  pay(amount: string): string
  /** Heading and button of a tokenize page. */
  saveTitle: string
  saveButton: string
  /** Under the amount when the card will be kept (a purchase with save_card, or a tokenize page). */
  saveNotice(merchant: string): string
  processing: string
  redirecting: string
  cancel(merchant: string): string
  back(merchant: string): string
  testMode: string
  secured: string
  /** While the bank's 3-D Secure challenge shows on the page. */
  challenge: { intro: string; frameTitle: string; waiting: string }
  /** Headings and texts of a page that takes no card. */
  states: Record<'completed' | 'failed' | 'expired' | 'not_found', { title: string; text: string }>
  errors: {
    declined: string
    reopened: string
    busy: string
    closed: string
    network: string
    generic: string
  }
}

export const PAGE_TEXTS: Record<Locale, PageTexts> = {
  en: {
    pay: (amount) => `Pay ${amount}`,
    saveTitle: 'Save your card',
    saveButton: 'Save card',
    saveNotice: (merchant) => `Your card will be saved with ${merchant} for later payments.`,
    processing: 'Processing…',
    redirecting: 'Done. Taking you back…',
    cancel: (merchant) => `Cancel and return to ${merchant}`,
    back: (merchant) => `Return to ${merchant}`,
    testMode: 'Test mode: no real payment is made.',
    secured: 'Your card details are encrypted before they leave this page.',
    challenge: { intro: 'Your bank asks you to confirm this payment.', frameTitle: 'Payment confirmation from your bank', waiting: 'Waiting for your bank…' },
    states: {
      completed: { title: 'This page has been used', text: 'The payment on this page is already complete. Nothing more was charged.' },
      failed: { title: 'The payment did not go through', text: 'This page took no payment. Return to the shop to try again.' },
      expired: { title: 'This page has expired', text: 'Payment pages are open for 30 minutes. No card was taken. Return to the shop to start again.' },
      not_found: { title: 'Page not found', text: 'This payment page does not exist. Check the link, or return to the shop.' },
    },
    errors: {
      declined: 'Your card was declined. Try another card, or contact your bank.',
      reopened: 'This page was opened again in another window. Reload this page to continue.',
      busy: 'A payment is already under way on this page. Wait a moment, then reload.',
      closed: 'This page can no longer take a payment.',
      network: 'We could not reach the payment service. Check your connection and try again.',
      generic: 'Something went wrong on our side. Try again in a moment.',
    },
  },
  ro: {
    pay: (amount) => `Plătiți ${amount}`,
    saveTitle: 'Salvați cardul',
    saveButton: 'Salvați cardul',
    saveNotice: (merchant) => `Cardul va fi salvat la ${merchant} pentru plăți ulterioare.`,
    processing: 'Se procesează…',
    redirecting: 'Gata. Vă întoarcem la magazin…',
    cancel: (merchant) => `Renunțați și reveniți la ${merchant}`,
    back: (merchant) => `Reveniți la ${merchant}`,
    testMode: 'Mod de test: nu se face nicio plată reală.',
    secured: 'Datele cardului sunt criptate înainte de a părăsi această pagină.',
    challenge: { intro: 'Banca vă cere să confirmați această plată.', frameTitle: 'Confirmarea plății de la banca dumneavoastră', waiting: 'Se așteaptă răspunsul băncii…' },
    states: {
      completed: { title: 'Această pagină a fost deja folosită', text: 'Plata de pe această pagină este deja finalizată. Nu s-a mai încasat nimic.' },
      failed: { title: 'Plata nu a reușit', text: 'Această pagină nu a încasat nicio plată. Reveniți la magazin pentru a încerca din nou.' },
      expired: { title: 'Această pagină a expirat', text: 'Paginile de plată sunt deschise 30 de minute. Nu a fost preluat niciun card. Reveniți la magazin pentru a începe din nou.' },
      not_found: { title: 'Pagina nu există', text: 'Această pagină de plată nu există. Verificați linkul sau reveniți la magazin.' },
    },
    errors: {
      declined: 'Cardul a fost refuzat. Încercați alt card sau contactați banca.',
      reopened: 'Pagina a fost deschisă din nou în altă fereastră. Reîncărcați această pagină pentru a continua.',
      busy: 'O plată este deja în curs pe această pagină. Așteptați puțin, apoi reîncărcați.',
      closed: 'Această pagină nu mai poate primi plăți.',
      network: 'Serviciul de plată nu poate fi contactat. Verificați conexiunea și încercați din nou.',
      generic: 'A apărut o eroare la noi. Încercați din nou peste câteva momente.',
    },
  },
  de,
  fr,
  es,
  it,
  pl,
  nl,
}

/** Minor units as the locale writes the currency ("12,50 €" in ro, "€12.50" in en). */
export function formatAmount(amount: number, currency: string, locale: Locale): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency })
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2
  return format.format(amount / 10 ** digits)
}
