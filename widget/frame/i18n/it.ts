// Italian texts of the card frame.
import type { Messages } from './messages.js'

export const it: Messages = {
  lang: 'it',
  labels: { number: 'Numero della carta', expiry: 'Data di scadenza', cvc: 'Codice di sicurezza', name: 'Nome sulla carta' },
  placeholders: { number: '1234 1234 1234 1234', expiry: 'MM / AA', cvc: 'CVC', name: 'Nome completo' },
  unknownBrand: 'Carta',
  errors: {
    incomplete_number: 'Il numero della carta è incompleto.',
    invalid_number: 'Il numero della carta non è valido.',
    unsupported_brand: 'Questo tipo di carta non è accettato.',
    incomplete_expiry: 'La data di scadenza è incompleta.',
    invalid_expiry: 'La data di scadenza non è valida.',
    expired_card: 'La carta è scaduta.',
    expiry_too_far: "L'anno di scadenza è troppo lontano.",
    incomplete_cvc: 'Il codice di sicurezza è incompleto.',
    invalid_cvc: 'Il codice di sicurezza non è valido.',
    invalid_name: 'Il nome sulla carta non è valido.',
    test_card_required: 'In modalità test usa un numero di carta di prova.',
    live_card_required: 'Le carte di prova non possono essere usate qui.',
    card_declined: 'La carta è stata rifiutata.',
    network_error: 'Il servizio carte non è raggiungibile. Riprova.',
    unknown_error: 'Non è stato possibile salvare la carta. Riprova.',
  },
  validity: {
    empty: 'Inserisci i dati della carta.',
    incomplete: 'I dati della carta sono incompleti.',
    untokenized: 'La carta non è ancora stata salvata.',
  },
  saved: {
    legend: 'Carte salvate',
    newCard: 'Usa una nuova carta',
    describe: (brand, last4, expiry) => `${brand} che termina con ${last4}, scade il ${expiry}`,
  },
}
