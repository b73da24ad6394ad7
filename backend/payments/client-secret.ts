// A payment's client secret: what the merchant's page gets in next_action and sends back (with
// the publishable key, header Tessera-Payment-Secret) to read the payment's status. It is an
// HMAC of the payment id under the project's own key, so it is never stored and every answer
// that shows the payment can show it again.
import crypto from 'node:crypto'
import type { SecretBytes } from '../crypto/secret.js'

export const PAYMENT_SECRET_HEADER = 'Tessera-Payment-Secret'

const mac = (key: SecretBytes, paymentId: string) => crypto.createHmac('sha256', key.expose()).update(`tessera:payment-client-secret:v1|${paymentId}`).digest('base64url')

export function paymentClientSecret(key: SecretBytes, paymentId: string): string {
  return `${paymentId}_secret_${mac(key, paymentId)}`
}

/** Constant-time: a wrong secret and another payment's secret look alike. */
export function checkPaymentClientSecret(key: SecretBytes, paymentId: string, given: string): boolean {
  const expected = Buffer.from(paymentClientSecret(key, paymentId))
  const actual = Buffer.from(given)
  return expected.length === actual.length && crypto.timingSafeEqual(expected, actual)
}
