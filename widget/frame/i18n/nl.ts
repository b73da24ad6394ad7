// Dutch texts of the card frame.
import type { Messages } from './messages.js'

export const nl: Messages = {
  lang: 'nl',
  labels: { number: 'Kaartnummer', expiry: 'Vervaldatum', cvc: 'Beveiligingscode', name: 'Naam op de kaart' },
  placeholders: { number: '1234 1234 1234 1234', expiry: 'MM / JJ', cvc: 'CVC', name: 'Volledige naam' },
  unknownBrand: 'Kaart',
  errors: {
    incomplete_number: 'Het kaartnummer is onvolledig.',
    invalid_number: 'Het kaartnummer is ongeldig.',
    unsupported_brand: 'Dit kaarttype wordt niet ondersteund.',
    incomplete_expiry: 'De vervaldatum is onvolledig.',
    invalid_expiry: 'De vervaldatum is ongeldig.',
    expired_card: 'De kaart is verlopen.',
    expiry_too_far: 'Het vervaljaar ligt te ver in de toekomst.',
    incomplete_cvc: 'De beveiligingscode is onvolledig.',
    invalid_cvc: 'De beveiligingscode is ongeldig.',
    invalid_name: 'De naam op de kaart is ongeldig.',
    test_card_required: 'Gebruik in testmodus een testkaartnummer.',
    live_card_required: 'Testkaarten kunnen hier niet worden gebruikt.',
    card_declined: 'De kaart is geweigerd.',
    network_error: 'De kaartdienst is niet bereikbaar. Probeer het opnieuw.',
    unknown_error: 'De kaart kon niet worden opgeslagen. Probeer het opnieuw.',
  },
  validity: {
    empty: 'Vul uw kaartgegevens in.',
    incomplete: 'Uw kaartgegevens zijn onvolledig.',
    untokenized: 'Uw kaart is nog niet opgeslagen.',
  },
  saved: {
    legend: 'Opgeslagen kaarten',
    newCard: 'Een nieuwe kaart gebruiken',
    describe: (brand, last4, expiry) => `${brand} eindigend op ${last4}, geldig tot ${expiry}`,
  },
}
