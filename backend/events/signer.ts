// Signs a webhook body: a compact JWS (ES256) with a detached payload, `header..signature`
// (RFC 7515 appendix F), over the exact bytes sent. The protected header names the key (`kid`),
// when it was signed (`iat`, seconds) and the project it is for (`aud`), so a receiver can
// refuse a stale or another project's delivery.
import { CompactSign } from 'jose'
import { SIGNATURE_TYPE } from '../../common/webhook-signature.js'
import { WEBHOOK_SIGNING_ALG, type SigningKey } from './signing-keys.js'

export { SIGNATURE_HEADER } from '../../common/webhook-signature.js'

export interface SignatureContext {
  projectId: string
  at: Date
}

export async function signWebhook(body: string, key: SigningKey, context: SignatureContext): Promise<string> {
  const jws = await new CompactSign(new TextEncoder().encode(body))
    .setProtectedHeader({ alg: WEBHOOK_SIGNING_ALG, kid: key.kid, typ: SIGNATURE_TYPE, iat: Math.floor(context.at.getTime() / 1000), aud: context.projectId })
    .sign(key.privateKey)
  const [header, , signature] = jws.split('.')
  return `${header}..${signature}`
}
