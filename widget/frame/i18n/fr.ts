// French texts of the card frame.
import type { Messages } from './messages.js'

export const fr: Messages = {
  lang: 'fr',
  labels: { number: 'Numéro de carte', expiry: "Date d'expiration", cvc: 'Code de sécurité', name: 'Nom sur la carte' },
  placeholders: { number: '1234 1234 1234 1234', expiry: 'MM / AA', cvc: 'CVC', name: 'Nom complet' },
  unknownBrand: 'Carte',
  errors: {
    incomplete_number: 'Le numéro de carte est incomplet.',
    invalid_number: "Le numéro de carte n'est pas valide.",
    unsupported_brand: "Ce type de carte n'est pas accepté.",
    incomplete_expiry: "La date d'expiration est incomplète.",
    invalid_expiry: "La date d'expiration n'est pas valide.",
    expired_card: 'La carte a expiré.',
    expiry_too_far: "L'année d'expiration est trop lointaine.",
    incomplete_cvc: 'Le code de sécurité est incomplet.',
    invalid_cvc: "Le code de sécurité n'est pas valide.",
    invalid_name: "Le nom sur la carte n'est pas valide.",
    test_card_required: 'En mode test, utilisez un numéro de carte de test.',
    live_card_required: 'Les cartes de test ne sont pas acceptées ici.',
    card_declined: 'La carte a été refusée.',
    network_error: 'Le service de cartes est injoignable. Réessayez.',
    unknown_error: "La carte n'a pas pu être enregistrée. Réessayez.",
  },
  validity: {
    empty: 'Saisissez les informations de votre carte.',
    incomplete: 'Les informations de votre carte sont incomplètes.',
    untokenized: "Votre carte n'a pas encore été enregistrée.",
  },
  saved: {
    legend: 'Cartes enregistrées',
    newCard: 'Utiliser une nouvelle carte',
    describe: (brand, last4, expiry) => `${brand} se terminant par ${last4}, expire le ${expiry}`,
  },
}
