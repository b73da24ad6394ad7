// English texts of the card frame.
import type { Messages } from './messages.js'

export const en: Messages = {
  lang: 'en',
  labels: { number: 'Card number', expiry: 'Expiry date', cvc: 'Security code', name: 'Name on card' },
  placeholders: { number: '1234 1234 1234 1234', expiry: 'MM / YY', cvc: 'CVC', name: 'Full name' },
  unknownBrand: 'Card',
  errors: {
    incomplete_number: 'Your card number is incomplete.',
    invalid_number: 'Your card number is invalid.',
    unsupported_brand: 'This card brand is not supported.',
    incomplete_expiry: "Your card's expiry date is incomplete.",
    invalid_expiry: "Your card's expiry date is invalid.",
    expired_card: 'Your card has expired.',
    expiry_too_far: "Your card's expiry year is too far in the future.",
    incomplete_cvc: "Your card's security code is incomplete.",
    invalid_cvc: "Your card's security code is invalid.",
    invalid_name: 'The name on the card is invalid.',
    test_card_required: 'Use a test card number in test mode.',
    live_card_required: 'Test cards cannot be used here.',
    card_declined: 'Your card was declined.',
    network_error: 'The card service could not be reached. Try again.',
    unknown_error: 'Your card could not be saved. Try again.',
  },
  validity: {
    empty: 'Enter your card details.',
    incomplete: 'Your card details are incomplete.',
    untokenized: 'Your card has not been saved yet.',
  },
  saved: {
    legend: 'Saved cards',
    newCard: 'Use a new card',
    describe: (brand, last4, expiry) => `${brand} ending in ${last4}, expires ${expiry}`,
    cvcFor: (brand, last4) => `Security code of the ${brand} ending in ${last4}`,
  },
}
