// Romanian texts of the card frame.
import type { Messages } from './messages.js'

export const ro: Messages = {
  lang: 'ro',
  labels: { number: 'Numărul cardului', expiry: 'Data expirării', cvc: 'Cod de securitate', name: 'Numele de pe card' },
  placeholders: { number: '1234 1234 1234 1234', expiry: 'LL / AA', cvc: 'CVC', name: 'Nume complet' },
  unknownBrand: 'Card',
  errors: {
    incomplete_number: 'Numărul cardului este incomplet.',
    invalid_number: 'Numărul cardului nu este valid.',
    unsupported_brand: 'Acest tip de card nu este acceptat.',
    incomplete_expiry: 'Data expirării este incompletă.',
    invalid_expiry: 'Data expirării nu este validă.',
    expired_card: 'Cardul a expirat.',
    expiry_too_far: 'Anul expirării este prea îndepărtat.',
    incomplete_cvc: 'Codul de securitate este incomplet.',
    invalid_cvc: 'Codul de securitate nu este valid.',
    invalid_name: 'Numele de pe card nu este valid.',
    test_card_required: 'În modul de test folosiți un număr de card de test.',
    live_card_required: 'Cardurile de test nu pot fi folosite aici.',
    card_declined: 'Cardul a fost refuzat.',
    network_error: 'Serviciul de carduri nu poate fi contactat. Încercați din nou.',
    unknown_error: 'Cardul nu a putut fi salvat. Încercați din nou.',
  },
  validity: {
    empty: 'Introduceți datele cardului.',
    incomplete: 'Datele cardului sunt incomplete.',
    untokenized: 'Cardul nu a fost încă salvat.',
  },
  saved: {
    legend: 'Carduri salvate',
    newCard: 'Folosiți un card nou',
    describe: (brand, last4, expiry) => `${brand} terminat în ${last4}, expiră la ${expiry}`,
    cvcFor: (brand, last4) => `Codul de securitate al cardului ${brand} terminat în ${last4}`,
  },
}
