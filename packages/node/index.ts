// @tessera/node: a typed client for the vault's HTTP API (openapi-fetch over the types
// openapi-typescript generates from GET /v1/openapi.json, in openapi.d.ts), verifyWebhook, and
// the values a project's settings take. With an admin key (`ak_`) the same client speaks the
// management API (projects and their keys).
import createClient, { type Client, type ClientOptions } from 'openapi-fetch'
import type { components, paths } from './openapi.js'

export type { components, paths } from './openapi.js'
export { SIGNATURE_ALG, SIGNATURE_HEADER, SIGNATURE_TYPE, verifyWebhook, WebhookVerificationError } from './webhooks.js'
export type { VerifyWebhookOptions, WebhookEvent, WebhookVerificationReason } from './webhooks.js'
export { ACCOUNT_UPDATER_SETTINGS, ON_DUPLICATES, TOKEN_FORMATS, TOKEN_MANAGEMENTS, VERIFICATIONS } from '../../common/project-settings.js'

type Schemas = components['schemas']
export type Token = Schemas['Token']
export type Payment = Schemas['Payment']
export type Payout = Schemas['Payout']
export type Event = Schemas['Event']
export type CustomerSession = Schemas['CustomerSession']
export type ErrorCode = Schemas['ErrorCode']
/** The body of every error answer: `{error: {type, code, message, param?}}`. */
export type TesseraErrorBody = Schemas['Error']
/** A project as the management API answers it (`GET /v1/projects/{id}`). */
export type Project = paths['/v1/projects/{id}']['get']['responses'][200]['content']['application/json']
/** A key as `GET /v1/projects/{id}/keys` lists it (no secret). */
export type ApiKey = paths['/v1/projects/{id}/keys']['get']['responses'][200]['content']['application/json']['data'][number]

export interface TesseraClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** The vault's base URL, e.g. `https://vault.example`. */
  vaultUrl: string
  /** A secret (`sk_`) or restricted (`rk_`) key. Never ship it to a browser. */
  apiKey: string
}

export type TesseraClient = Client<paths>

/**
 * A client whose paths, bodies and answers are typed from the vault's OpenAPI document:
 * `const { data, error } = await vault.GET('/v1/tokens/{token}', { params: { path: { token } } })`.
 * `error` is the vault's error body, its `code` one of `ErrorCode`.
 */
export function createTesseraClient(options: TesseraClientOptions): TesseraClient {
  const { vaultUrl, apiKey, headers, ...rest } = options
  return createClient<paths>({ ...rest, baseUrl: vaultUrl.replace(/\/+$/, ''), headers: { ...(headers as Record<string, string> | undefined), Authorization: `Bearer ${apiKey}` } })
}
