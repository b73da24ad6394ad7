// German texts of the card frame.
import type { Messages } from './messages.js'

export const de: Messages = {
  lang: 'de',
  labels: { number: 'Kartennummer', expiry: 'Ablaufdatum', cvc: 'Sicherheitscode', name: 'Name auf der Karte' },
  placeholders: { number: '1234 1234 1234 1234', expiry: 'MM / JJ', cvc: 'CVC', name: 'Vollständiger Name' },
  unknownBrand: 'Karte',
  errors: {
    incomplete_number: 'Die Kartennummer ist unvollständig.',
    invalid_number: 'Die Kartennummer ist ungültig.',
    unsupported_brand: 'Diese Kartenmarke wird nicht unterstützt.',
    incomplete_expiry: 'Das Ablaufdatum ist unvollständig.',
    invalid_expiry: 'Das Ablaufdatum ist ungültig.',
    expired_card: 'Die Karte ist abgelaufen.',
    expiry_too_far: 'Das Ablaufjahr liegt zu weit in der Zukunft.',
    incomplete_cvc: 'Der Sicherheitscode ist unvollständig.',
    invalid_cvc: 'Der Sicherheitscode ist ungültig.',
    invalid_name: 'Der Name auf der Karte ist ungültig.',
    test_card_required: 'Verwenden Sie im Testmodus eine Testkartennummer.',
    live_card_required: 'Testkarten können hier nicht verwendet werden.',
    card_declined: 'Die Karte wurde abgelehnt.',
    network_error: 'Der Kartendienst ist nicht erreichbar. Bitte erneut versuchen.',
    unknown_error: 'Die Karte konnte nicht gespeichert werden. Bitte erneut versuchen.',
  },
  validity: {
    empty: 'Geben Sie Ihre Kartendaten ein.',
    incomplete: 'Ihre Kartendaten sind unvollständig.',
    untokenized: 'Ihre Karte wurde noch nicht gespeichert.',
  },
  saved: {
    legend: 'Gespeicherte Karten',
    newCard: 'Neue Karte verwenden',
    describe: (brand, last4, expiry) => `${brand} mit Endziffern ${last4}, gültig bis ${expiry}`,
  },
}
