// Polish texts of the card frame.
import type { Messages } from './messages.js'

export const pl: Messages = {
  lang: 'pl',
  labels: { number: 'Numer karty', expiry: 'Data ważności', cvc: 'Kod bezpieczeństwa', name: 'Imię i nazwisko na karcie' },
  placeholders: { number: '1234 1234 1234 1234', expiry: 'MM / RR', cvc: 'CVC', name: 'Imię i nazwisko' },
  unknownBrand: 'Karta',
  errors: {
    incomplete_number: 'Numer karty jest niepełny.',
    invalid_number: 'Numer karty jest nieprawidłowy.',
    unsupported_brand: 'Ten rodzaj karty nie jest obsługiwany.',
    incomplete_expiry: 'Data ważności jest niepełna.',
    invalid_expiry: 'Data ważności jest nieprawidłowa.',
    expired_card: 'Karta straciła ważność.',
    expiry_too_far: 'Rok ważności jest zbyt odległy.',
    incomplete_cvc: 'Kod bezpieczeństwa jest niepełny.',
    invalid_cvc: 'Kod bezpieczeństwa jest nieprawidłowy.',
    invalid_name: 'Imię i nazwisko na karcie są nieprawidłowe.',
    test_card_required: 'W trybie testowym użyj numeru karty testowej.',
    live_card_required: 'Nie można tu używać kart testowych.',
    card_declined: 'Karta została odrzucona.',
    network_error: 'Brak połączenia z usługą kart. Spróbuj ponownie.',
    unknown_error: 'Nie udało się zapisać karty. Spróbuj ponownie.',
  },
  validity: {
    empty: 'Wpisz dane karty.',
    incomplete: 'Dane karty są niepełne.',
    untokenized: 'Karta nie została jeszcze zapisana.',
  },
  saved: {
    legend: 'Zapisane karty',
    newCard: 'Użyj nowej karty',
    describe: (brand, last4, expiry) => `${brand} z końcówką ${last4}, ważna do ${expiry}`,
  },
}
