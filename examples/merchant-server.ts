// Your server talks to the vault with a secret key; the card number never reaches it.
import { createTesseraClient, verifyWebhook, WebhookVerificationError, type Token } from '@tessera/node'

const vaultUrl = process.env.TESSERA_URL ?? 'http://127.0.0.1:8787'
const vault = createTesseraClient({ vaultUrl, apiKey: process.env.TESSERA_SECRET_KEY ?? '' })

/** The card behind a token your checkout page got from <tessera-card>.tokenize(). */
export async function savedCard(token: string): Promise<Token> {
  const { data, error } = await vault.GET('/v1/tokens/{token}', { params: { path: { token } } })
  // `error.error.code` is typed: one of the vault's documented codes.
  if (error) throw new Error(error.error.code === 'token_not_found' ? 'unknown card' : error.error.message)
  return data
}

/** A short-lived secret for the page, so the element lists this customer's saved cards. */
export async function customerSession(customerId: string): Promise<string> {
  const { data, error } = await vault.POST('/v1/customer-sessions', { body: { customer_id: customerId } })
  if (error) throw new Error(error.error.message)
  return data.client_secret
}

/** Your webhook endpoint: pass the raw body and the Tessera-Signature header. */
export async function onWebhook(rawBody: string, signature: string | undefined): Promise<string> {
  try {
    const event = await verifyWebhook(rawBody, signature, `${vaultUrl}/v1/webhook-keys`)
    return `${event.type} ${event.data.object.object}`
  } catch (error) {
    if (error instanceof WebhookVerificationError) return `refused: ${error.reason}`
    throw error
  }
}
