// Every route the vault mounts, described once for the OpenAPI document: the request schemas
// are the very valibot schemas the routes validate with (imported from the route modules), the
// answers the schemas in objects.ts. A route mounted but missing here fails
// test/unit/backend/openapi.test.ts. Nothing here runs per request.
import * as v from 'valibot'
import { amountBody, paymentBody, paymentListQuery, payoutBody, payoutListQuery } from '../payments.js'
import { pageAttemptBody, paymentPageBody } from '../payment-pages.js'
import { customerTokensQuery, sessionBody } from '../customers.js'
import { auditListQuery } from '../audit.js'
import { eventListQuery } from '../events.js'
import { extendBody, searchBody, tokenizeBody, updateBody } from '../tokens.js'
import { createKeyBody, createProjectBody, projectListQuery, rollKeyBody, updateProjectBody } from '../projects.js'
import { ApiKeyObject, CreatedProjectObject, DeletedApiKey, NewApiKeyObject, ProjectObject } from '../project-objects.js'
import { AuditEvent, BrowserToken, CustomerSession, DeletedToken, EventObject, JsonWebKeySet, list, Liveness, PaymentObject, PaymentPageAttempt, PaymentPageObject, PaymentStatusView, PayoutObject, NotificationReceipt, Readiness, SavedCardList, TokenObject } from './objects.js'

/** Who may call: no key, a publishable or secret key, a secret key, an admin key. */
export type Access = 'none' | 'any' | 'secret' | 'admin'

export interface Answer {
  description: string
  /** A JSON body; absent for non-JSON answers, described by `contentType`. */
  schema?: v.GenericSchema
  contentType?: string
}

export interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete'
  /** Hono's form, `/v1/tokens/:token`; the document writes `{token}`. */
  path: string
  tag: string
  summary: string
  access: Access
  body?: v.GenericSchema
  /** A strict object schema whose entries are the query parameters. */
  query?: v.ObjectSchema<v.ObjectEntries, undefined> | v.StrictObjectSchema<v.ObjectEntries, undefined>
  headers?: { name: string; description: string; required?: boolean }[]
  responses: Record<number, Answer>
  /** Part of how the vault serves itself (widget assets, documentation), not its API. */
  internal?: boolean
}

const pageSecretHeader = { name: 'Tessera-Page-Secret', description: 'The page secret the vault put on the payment page when it was opened.', required: true }
const json = (description: string, schema: v.GenericSchema): Answer => ({ description, schema })
const token = json('The token', TokenObject)
const customerSessionHeader = { name: 'Tessera-Customer-Session', description: "A customer session's client secret (from POST /v1/customer-sessions), sent by the card element." }

export const OPERATIONS: Operation[] = [
  // Public resources
  { method: 'get', path: '/v1/jwks', tag: 'Keys', summary: 'The public JWE encryption keys (EC P-256, ECDH-ES) the card frame encrypts to', access: 'none', responses: { 200: json('A JSON Web Key Set', JsonWebKeySet) } },
  { method: 'get', path: '/v1/webhook-keys', tag: 'Keys', summary: 'The public keys that verify webhook signatures (ES256)', access: 'none', responses: { 200: json('A JSON Web Key Set', JsonWebKeySet) } },
  { method: 'get', path: '/v1/tessera.js', tag: 'Card element', summary: 'The loader: an ES module that defines <tessera-card>', access: 'none', responses: { 200: { description: 'JavaScript', contentType: 'text/javascript' } } },
  { method: 'get', path: '/v1/tessera.js.sri', tag: 'Card element', summary: "The loader's Subresource Integrity hash (sha384-...)", access: 'none', responses: { 200: { description: 'The integrity value', contentType: 'text/plain' } } },
  { method: 'get', path: '/frame/card', tag: 'Card element', summary: "The card frame page, embeddable by the publishable key's allowed origins", access: 'none', responses: { 200: { description: 'HTML', contentType: 'text/html' } }, internal: true },
  { method: 'get', path: '/v1/chunks/:file', tag: 'Card element', summary: 'Code the loader imports on demand (content-hashed names, e.g. the 3-D Secure dialog)', access: 'none', responses: { 200: { description: 'JavaScript', contentType: 'text/javascript' } }, internal: true },
  { method: 'get', path: '/frame/:file', tag: 'Card element', summary: "The frame page's content-hashed script and stylesheet", access: 'none', responses: { 200: { description: 'JavaScript or CSS', contentType: 'application/octet-stream' } }, internal: true },
  // Tokens
  { method: 'post', path: '/v1/tokens', tag: 'Tokens', summary: 'Tokenize a card (a JWE from the frame); `customer_id`, `verification` and `token` with a secret key only', access: 'any', body: tokenizeBody, headers: [customerSessionHeader], responses: { 201: json('A new token (with a publishable key: only the token, its status and the card as sent)', v.union([TokenObject, BrowserToken])), 200: json('The existing token of this card (unique-account or deterministic)', v.union([TokenObject, BrowserToken])) } },
  { method: 'post', path: '/v1/tokens/search', tag: 'Tokens', summary: 'Search tokens by card, customer, status or update time (cursor pages)', access: 'secret', body: searchBody, responses: { 200: json('A page of tokens', list(TokenObject)) } },
  { method: 'get', path: '/v1/tokens/:token', tag: 'Tokens', summary: 'Read a token and its masked card', access: 'secret', responses: { 200: token } },
  { method: 'patch', path: '/v1/tokens/:token', tag: 'Tokens', summary: 'Update expiry or holder name, or replace the card with `{card: JWE}` where the format allows', access: 'secret', body: updateBody, responses: { 200: token } },
  { method: 'delete', path: '/v1/tokens/:token', tag: 'Tokens', summary: 'Deregister: the stored card is destroyed', access: 'secret', responses: { 200: json('The deleted token', DeletedToken) } },
  { method: 'post', path: '/v1/tokens/:token/revoke', tag: 'Tokens', summary: 'Revoke: the token is unusable from then on', access: 'secret', responses: { 200: token } },
  { method: 'post', path: '/v1/tokens/:token/extend', tag: 'Tokens', summary: 'Extend retention by `months` (at most 24 past the policy)', access: 'secret', body: extendBody, responses: { 200: token } },
  { method: 'post', path: '/v1/tokens/:token/verify', tag: 'Tokens', summary: 'Zero-amount verification through the acquirer', access: 'secret', responses: { 200: token } },
  { method: 'post', path: '/v1/tokens/:token/refresh', tag: 'Tokens', summary: "Ask the acquirer's account updater about this token now (`account_updater: on`)", access: 'secret', responses: { 200: token } },
  // Customers
  { method: 'get', path: '/v1/customers/:id/tokens', tag: 'Customers', summary: "A customer's saved cards (cursor pages)", access: 'secret', query: customerTokensQuery, responses: { 200: json('A page of tokens', list(TokenObject)) } },
  { method: 'post', path: '/v1/customer-sessions', tag: 'Customers', summary: 'A short-lived client secret for the card element: `customer_id` (list and save that customer\'s cards) and/or `token` (a merchant token value to tokenize under)', access: 'secret', body: sessionBody, responses: { 201: json('The customer session', CustomerSession) } },
  { method: 'get', path: '/v1/customer-sessions/tokens', tag: 'Customers', summary: "The session customer's active cards, masked (publishable key + Tessera-Customer-Session)", access: 'any', headers: [{ ...customerSessionHeader, required: true }], responses: { 200: json('The saved cards', SavedCardList) } },
  // Payments
  { method: 'post', path: '/v1/payments', tag: 'Payments', summary: 'Authorize or pay with `token`, or with `card` (+ `save_card`)', access: 'secret', body: paymentBody, responses: { 201: json('The payment (a decline answers 402 card_declined naming it)', PaymentObject) } },
  { method: 'get', path: '/v1/payments/:id', tag: 'Payments', summary: 'Read a payment; with a publishable key and `Tessera-Payment-Secret` (3-D Secure) only its id, status and decline code', access: 'any', headers: [{ name: 'Tessera-Payment-Secret', description: "The payment's client secret (`next_action.client_secret`), with a publishable key." }], responses: { 200: json('The payment (secret key) or its status (publishable key)', v.union([PaymentObject, PaymentStatusView])) } },
  { method: 'post', path: '/v1/payments/:id/capture', tag: 'Payments', summary: 'Capture an authorization (default: the rest)', access: 'secret', body: amountBody, responses: { 200: json('The payment', PaymentObject) } },
  { method: 'post', path: '/v1/payments/:id/refund', tag: 'Payments', summary: 'Refund a captured payment (default: the rest)', access: 'secret', body: amountBody, responses: { 200: json('The payment', PaymentObject) } },
  { method: 'get', path: '/v1/payments', tag: 'Payments', summary: "The project's payments, newest first (cursor pages); filters `token`, `customer_id`, `status`", access: 'secret', query: paymentListQuery, responses: { 200: json('A page of payments', list(PaymentObject)) } },
  { method: 'post', path: '/v1/payments/:id/cancel', tag: 'Payments', summary: 'Void an authorization not captured: status `canceled`', access: 'secret', responses: { 200: json('The payment', PaymentObject) } },
  { method: 'post', path: '/v1/payouts', tag: 'Payments', summary: 'Pay out to the card behind a token', access: 'secret', body: payoutBody, responses: { 201: json('The payout (a decline answers 402 card_declined, a failure 502 payout_failed, naming it)', PayoutObject) } },
  { method: 'get', path: '/v1/payouts', tag: 'Payments', summary: "The project's payouts, newest first (cursor pages); filters `token`, `customer_id`, `status` (`paid`, `declined`, `failed`)", access: 'secret', query: payoutListQuery, responses: { 200: json('A page of payouts', list(PayoutObject)) } },
  { method: 'get', path: '/v1/payouts/:id', tag: 'Payments', summary: 'Read a payout', access: 'secret', responses: { 200: json('The payout', PayoutObject) } },
  // 3-D Secure
  { method: 'post', path: '/v1/acquirer/notifications', tag: '3-D Secure', summary: "The acquirer's signed notification of a 3-D Secure result (server to server; the signature is checked with the acquirer key)", access: 'none', responses: { 200: json('Received', NotificationReceipt), 409: json('Another process is finishing this payment: send it again', NotificationReceipt) } },
  { method: 'get', path: '/three-d-secure/:id', tag: '3-D Secure', summary: "The vault's 3-D Secure page for a payment, framed by the element's handleNextAction() (`?client_secret=`)", access: 'none', responses: { 200: { description: 'HTML', contentType: 'text/html' } }, internal: true },
  // Hosted payment pages
  { method: 'post', path: '/v1/payment-pages', tag: 'Payment pages', summary: 'Create a hosted payment page (purchase or tokenize), open for 30 minutes, used once', access: 'secret', body: paymentPageBody, responses: { 201: json('The payment page', PaymentPageObject) } },
  { method: 'get', path: '/v1/payment-pages/:id', tag: 'Payment pages', summary: 'Read a payment page: open, completed, failed or expired, with `token` and `payment` when there are', access: 'secret', responses: { 200: json('The payment page', PaymentPageObject) } },
  { method: 'post', path: '/v1/payment-pages/:id/attempts', tag: 'Payment pages', summary: "The page's own call: a try with a card JWE or a saved token of the page's customer (no API key)", access: 'none', body: pageAttemptBody, headers: [pageSecretHeader], responses: { 200: json('Where the page stands', PaymentPageAttempt) } },
  { method: 'get', path: '/v1/payment-pages/:id/attempts/current', tag: 'Payment pages', summary: "The page's own call: where a try waiting for 3-D Secure stands (no API key)", access: 'none', headers: [pageSecretHeader], responses: { 200: json('Where the page stands', PaymentPageAttempt) } },
  { method: 'get', path: '/pay/:id', tag: 'Payment pages', summary: 'The hosted payment page itself, on the vault origin', access: 'none', responses: { 200: { description: 'HTML', contentType: 'text/html' } }, internal: true },
  { method: 'get', path: '/pay/assets/:file', tag: 'Payment pages', summary: "The payment page's content-hashed script and stylesheet", access: 'none', responses: { 200: { description: 'JavaScript or CSS', contentType: 'application/octet-stream' } }, internal: true },
  // Events
  { method: 'get', path: '/v1/events', tag: 'Events', summary: "The project's event log, with each event's delivery (cursor pages)", access: 'secret', query: eventListQuery, responses: { 200: json('A page of events', list(EventObject)) } },
  { method: 'get', path: '/v1/events/:id', tag: 'Events', summary: 'Read an event and its delivery', access: 'secret', responses: { 200: json('The event', EventObject) } },
  { method: 'post', path: '/v1/events/:id/redeliver', tag: 'Events', summary: 'Deliver an event to the webhook URL again', access: 'secret', responses: { 200: json('The event', EventObject) } },
  // Audit
  { method: 'get', path: '/v1/audit-events', tag: 'Audit', summary: "The project's audit chain (each event hashed with the one before), cursor pages; filters `token`, `action`, `created_gte`, `created_lt`", access: 'secret', query: auditListQuery, responses: { 200: json('A page of audit events', list(AuditEvent)) } },
  // Health, for load balancers and orchestrators
  { method: 'get', path: '/health/live', tag: 'Health', summary: 'Liveness: the process answers', access: 'none', responses: { 200: json('Live', Liveness) } },
  { method: 'get', path: '/health/ready', tag: 'Health', summary: 'Readiness: the database answers and the master key unwraps the stored keys', access: 'none', responses: { 200: json('Ready', Readiness), 503: json('Not ready: `checks` names what failed', Readiness) } },
  // Management (admin key)
  { method: 'post', path: '/v1/projects', tag: 'Management', summary: 'Create a project and its four keys (each secret shown this once)', access: 'admin', body: createProjectBody, responses: { 201: json('The project with its keys', CreatedProjectObject) } },
  { method: 'get', path: '/v1/projects', tag: 'Management', summary: 'Projects, newest first (cursor pages)', access: 'admin', query: projectListQuery, responses: { 200: json('A page of projects', list(ProjectObject)) } },
  { method: 'get', path: '/v1/projects/:id', tag: 'Management', summary: 'Read a project', access: 'admin', responses: { 200: json('The project', ProjectObject) } },
  { method: 'patch', path: '/v1/projects/:id', tag: 'Management', summary: 'Change settings; token_format and token_management only while the project holds no token (else 409)', access: 'admin', body: updateProjectBody, responses: { 200: json('The project', ProjectObject) } },
  { method: 'get', path: '/v1/projects/:id/keys', tag: 'Management', summary: "The project's working keys (prefix and last four, never the secret)", access: 'admin', responses: { 200: json('The keys', list(ApiKeyObject)) } },
  { method: 'post', path: '/v1/projects/:id/keys', tag: 'Management', summary: 'A restricted key limited to permissions (its secret shown this once)', access: 'admin', body: createKeyBody, responses: { 201: json('The new key', NewApiKeyObject) } },
  { method: 'post', path: '/v1/projects/:id/keys/:key_id/roll', tag: 'Management', summary: 'Roll a key: a new key now, the old one working until expires_in_hours (default 24)', access: 'admin', body: rollKeyBody, responses: { 201: json('The new key', NewApiKeyObject) } },
  { method: 'delete', path: '/v1/projects/:id/keys/:key_id', tag: 'Management', summary: 'Delete a key: it stops working now', access: 'admin', responses: { 200: json('The deleted key', DeletedApiKey) } },
  // The document itself
  { method: 'get', path: '/v1/openapi.json', tag: 'Reference', summary: 'This OpenAPI 3.1 document', access: 'none', responses: { 200: { description: 'OpenAPI 3.1', contentType: 'application/json' } } },
  { method: 'get', path: '/docs', tag: 'Reference', summary: 'The API reference page rendered from this document', access: 'none', responses: { 200: { description: 'HTML', contentType: 'text/html' } }, internal: true },
]
