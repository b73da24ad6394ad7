// The payment page's one call to its vault (same origin): an attempt with a new card's JWE or a
// saved token, authenticated by the page secret the vault put on the page.
import * as v from 'valibot'
import { errorCodeSchema, errorTypeSchema } from '../protocol.js'
import { VaultError } from '../frame/vault-client.js'

const REQUEST_TIMEOUT_MS = 60_000

const Done = v.union([
  v.object({ status: v.picklist(['completed', 'failed']), redirect_url: v.string() }),
  v.object({ status: v.picklist(['requires_action', 'open']) }),
])
const ErrorBody = v.object({ error: v.object({ type: errorTypeSchema, code: errorCodeSchema, message: v.string(), param: v.optional(v.string()) }) })

export type AttemptAnswer = v.InferOutput<typeof Done>

/** A new try with a card's JWE or a saved token. */
export function postAttempt(pageId: string, secret: string, body: { card: string } | { token: string }): Promise<AttemptAnswer> {
  return call(`/v1/payment-pages/${encodeURIComponent(pageId)}/attempts`, secret, { method: 'POST', body: JSON.stringify(body) })
}

/** Where the try waiting for 3-D Secure stands. */
export function currentAttempt(pageId: string, secret: string): Promise<AttemptAnswer> {
  return call(`/v1/payment-pages/${encodeURIComponent(pageId)}/attempts/current`, secret, { cache: 'no-store' })
}

async function call(path: string, secret: string, init: RequestInit): Promise<AttemptAnswer> {
  let response: Response
  let json: unknown
  try {
    response = await fetch(path, {
      ...init,
      headers: { 'content-type': 'application/json', 'tessera-page-secret': secret },
      credentials: 'omit',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
    json = await response.json()
  } catch {
    throw new VaultError({ type: 'api_error', code: 'network_error', message: 'The payment service could not be reached.' })
  }
  if (!response.ok) {
    const parsed = v.safeParse(ErrorBody, json)
    throw new VaultError(parsed.success ? parsed.output.error : { type: 'api_error', code: 'unknown_error', message: `The vault answered ${response.status}.` })
  }
  const parsed = v.safeParse(Done, json)
  if (!parsed.success) throw new VaultError({ type: 'api_error', code: 'unknown_error', message: 'Unexpected answer.' })
  return parsed.output
}
