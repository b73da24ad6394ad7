// Spanish texts of the card frame.
import type { Messages } from './messages.js'

export const es: Messages = {
  lang: 'es',
  labels: { number: 'Número de tarjeta', expiry: 'Fecha de caducidad', cvc: 'Código de seguridad', name: 'Nombre en la tarjeta' },
  placeholders: { number: '1234 1234 1234 1234', expiry: 'MM / AA', cvc: 'CVC', name: 'Nombre completo' },
  unknownBrand: 'Tarjeta',
  errors: {
    incomplete_number: 'El número de tarjeta está incompleto.',
    invalid_number: 'El número de tarjeta no es válido.',
    unsupported_brand: 'Este tipo de tarjeta no se acepta.',
    incomplete_expiry: 'La fecha de caducidad está incompleta.',
    invalid_expiry: 'La fecha de caducidad no es válida.',
    expired_card: 'La tarjeta ha caducado.',
    expiry_too_far: 'El año de caducidad es demasiado lejano.',
    incomplete_cvc: 'El código de seguridad está incompleto.',
    invalid_cvc: 'El código de seguridad no es válido.',
    invalid_name: 'El nombre en la tarjeta no es válido.',
    test_card_required: 'En modo de prueba, usa un número de tarjeta de prueba.',
    live_card_required: 'Aquí no se pueden usar tarjetas de prueba.',
    card_declined: 'La tarjeta ha sido rechazada.',
    network_error: 'No se puede contactar con el servicio de tarjetas. Inténtalo de nuevo.',
    unknown_error: 'No se ha podido guardar la tarjeta. Inténtalo de nuevo.',
  },
  validity: {
    empty: 'Introduce los datos de tu tarjeta.',
    incomplete: 'Los datos de tu tarjeta están incompletos.',
    untokenized: 'Tu tarjeta aún no se ha guardado.',
  },
  saved: {
    legend: 'Tarjetas guardadas',
    newCard: 'Usar una tarjeta nueva',
    describe: (brand, last4, expiry) => `${brand} terminada en ${last4}, caduca el ${expiry}`,
  },
}
