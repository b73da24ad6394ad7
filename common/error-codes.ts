// The closed set of error codes the vault answers and the card element reports, each with its
// error type and one line for the docs. Pure data, no imports: widget/protocol.ts takes the
// `ErrorCode` type from here, so the element's rejections and `tessera-error` events speak the
// vault's codes. A new code is a new entry here, a visible decision; docs/errors.md is checked
// against this table by test/unit/backend/error-codes.test.ts.

export const ERROR_TYPES = [
  'invalid_request_error',
  'card_error',
  'authentication_error',
  'permission_error',
  'idempotency_error',
  'rate_limit_error',
  'api_error',
] as const
export type ErrorType = (typeof ERROR_TYPES)[number]

interface CodeInfo {
  type: ErrorType
  /** Where the code comes from: the vault's API, the card element in the browser, or both. */
  source: 'vault' | 'element' | 'both'
  description: string
}

const code = (type: ErrorType, description: string, source: CodeInfo['source'] = 'vault'): CodeInfo => ({ type, source, description })

export const ERROR_CODES = {
  // The request itself
  parameter_unknown: code('invalid_request_error', 'The body holds a field this endpoint does not take; `param` names it.'),
  parameter_missing: code('invalid_request_error', 'A required field is missing; `param` names it.'),
  parameter_invalid: code('invalid_request_error', 'A field has a value of the wrong type or range; `param` names it. The value is never echoed.'),
  invalid_json: code('invalid_request_error', 'The body is not valid JSON, or not a JSON object.'),
  invalid_request: code('invalid_request_error', 'The request could not be read (malformed HTTP).'),
  body_too_large: code('invalid_request_error', 'The body is over 16 KB (status 413).'),
  unsupported_media_type: code('invalid_request_error', 'A body sent with a content type other than `application/json` (status 415).'),
  invalid_idempotency_key: code('invalid_request_error', 'An `Idempotency-Key` is 1-255 printable ASCII characters.'),
  invalid_limit: code('invalid_request_error', 'A list `limit` outside 1-100, or not an integer.'),
  invalid_cursor: code('invalid_request_error', 'A list `cursor` this vault did not issue for this list.'),
  route_not_found: code('invalid_request_error', 'No endpoint at this path (status 404).'),
  method_not_allowed: code('invalid_request_error', 'The path exists but not with this method (status 405).'),
  resource_missing: code('invalid_request_error', 'The object named in the path does not exist (status 404).'),
  customer_session_required: code('invalid_request_error', 'A publishable-key request named a customer; the customer comes from a customer session.'),
  // The encrypted card
  invalid_card_encryption: code('invalid_request_error', 'The JWE could not be decrypted. Every cause gives this same code, so the vault is no decryption oracle.'),
  invalid_card_payload: code('invalid_request_error', "The JWE's plaintext is not the documented card object; `param` names the field."),
  expired_card_encryption: code('invalid_request_error', 'The JWE is older than five minutes: encrypt the card again.'),
  premature_card_encryption: code('invalid_request_error', "The JWE's `iat` is in the future."),
  replayed_card_encryption: code('invalid_request_error', 'This JWE (`jti`) was used before: encrypt the card again.'),
  // Tokens
  token_not_found: code('invalid_request_error', 'No such token in this project and mode (status 404).'),
  token_required: code('invalid_request_error', 'The project uses merchant-supplied tokens: pass `token` (status 422).'),
  token_looks_like_card: code('invalid_request_error', 'A merchant token that could be a card number is refused (status 422).'),
  invalid_token_value: code('invalid_request_error', 'A merchant token is 1-64 letters, digits and `_ . : -` (status 422).'),
  token_taken: code('invalid_request_error', 'That merchant token value is already in use (status 409).'),
  token_unusable: code('invalid_request_error', "The card's existing token is revoked, expired or invalid and cannot be issued again (status 409)."),
  token_not_updatable: code('invalid_request_error', 'Only an active token can be updated (status 409).'),
  token_not_active: code('invalid_request_error', 'Only active tokens can pay, pay out or verify (status 422).'),
  token_not_supported: code('invalid_request_error', "A customer session named a `token` in a project whose format makes its own token values."),
  duplicate_account: code('invalid_request_error', 'The card already has a token and the project says `on_duplicate: error` (status 409).'),
  invalid_extension: code('invalid_request_error', 'A retention extension is 1-24 months.'),
  // Customers, events, payments
  customer_not_found: code('invalid_request_error', 'The customer has no saved cards in this project and mode (status 404).'),
  event_not_found: code('invalid_request_error', 'No such event (status 404).'),
  invalid_webhook_url: code('invalid_request_error', 'A webhook URL that is not https:// in live mode, or resolves to a loopback, private, link-local or metadata address.'),
  webhook_url_missing: code('invalid_request_error', 'The project has no webhook URL to redeliver to (status 409).'),
  payment_not_found: code('invalid_request_error', 'No such payment (status 404).'),
  payout_not_found: code('invalid_request_error', 'No such payout (status 404).'),
  // Hosted payment pages
  payment_page_not_found: code('invalid_request_error', 'No such payment page (status 404).'),
  payment_page_completed: code('invalid_request_error', 'The payment page was used already: a page takes one payment (status 409).'),
  payment_page_failed: code('invalid_request_error', 'The payment page ended after three declines (status 409).'),
  payment_page_expired: code('invalid_request_error', 'The payment page is past its 30 minutes (status 409).'),
  payment_page_busy: code('invalid_request_error', 'A try on this payment page is already under way, or waits for 3-D Secure (status 409).'),
  missing_page_secret: code('authentication_error', "The payment page's call came without its `Tessera-Page-Secret` (status 401)."),
  invalid_page_secret: code('authentication_error', 'The page secret is not the current one: the page was opened again elsewhere (status 401).'),
  amount_too_large: code('invalid_request_error', 'The amount exceeds what may still be captured or refunded.'),
  payment_not_capturable: code('invalid_request_error', 'The payment is not in a state that can be captured (status 409).'),
  cvc_required: code('invalid_request_error', "A customer-initiated payment by token on a project with `require_cvc_for_saved_cards` came without `card_cvc` (the element's `cvc_token`)."),
  payment_not_refundable: code('invalid_request_error', 'The payment is not in a state that can be refunded (status 409).'),
  payment_not_cancelable: code('invalid_request_error', 'Only an authorized payment not yet captured can be canceled (status 409).'),
  account_updater_off: code('invalid_request_error', "The project's account_updater setting is off: a token cannot be refreshed (status 409)."),
  authentication_invalid: code('invalid_request_error', 'The acquirer refused an authorization whose 3-D Secure authentication is for another card or amount, or did not pass.'),
  invalid_state: code('invalid_request_error', "The acquirer refused the operation in the authorization's state."),
  // Card checks (the vault's verification and the frame's own validation)
  incomplete_number: code('card_error', 'The card number is not complete yet.', 'element'),
  invalid_number: code('card_error', 'The card number fails the Luhn check or has the wrong length for its brand.', 'both'),
  unsupported_brand: code('card_error', 'The card brand is not recognised.', 'both'),
  incomplete_expiry: code('card_error', 'The expiry date is not complete yet.', 'element'),
  invalid_expiry: code('card_error', 'The expiry date is not a valid month and year.', 'both'),
  expired_card: code('card_error', 'The card has expired.', 'both'),
  expiry_too_far: code('card_error', 'The expiry year is more than 20 years ahead.', 'both'),
  incomplete_cvc: code('card_error', 'The security code is not complete yet.', 'element'),
  invalid_cvc: code('card_error', 'The security code has the wrong length for the brand.', 'both'),
  invalid_name: code('card_error', 'The name on the card has characters or a length that are not allowed.', 'element'),
  test_card_required: code('card_error', 'Test mode accepts only the documented test card numbers.', 'both'),
  live_card_required: code('card_error', 'Live mode refuses test card numbers.', 'both'),
  card_mismatch: code('card_error', 'The card is not the one behind this token, or the token format forbids another card (status 422).'),
  card_declined: code('card_error', 'The acquirer declined (status 402); `decline_code` says why and `payment` or `payout` names the stored attempt.', 'both'),
  // Keys and sessions
  missing_api_key: code('authentication_error', 'No `Authorization: Bearer <key>` header.'),
  invalid_api_key: code('authentication_error', 'The key is unknown, deleted or expired.'),
  missing_payment_secret: code('authentication_error', 'A publishable-key read of a payment (3-D Secure) needs its client secret in `Tessera-Payment-Secret`.'),
  invalid_acquirer_signature: code('authentication_error', "An acquirer notification without a valid signature from the acquirer's key (status 401); it changes nothing."),
  missing_customer_session: code('authentication_error', 'The call needs the `Tessera-Customer-Session` header.'),
  invalid_customer_session: code('authentication_error', 'The customer session is unknown or has expired.'),
  origin_not_allowed: code('permission_error', "The request's Origin is not one of the project's allowed origins, or the API was called from a web page."),
  secret_key_required: code('permission_error', 'The endpoint, or a field sent, needs a secret key.'),
  secret_key_in_browser: code('permission_error', 'A secret key was sent from a browser (it carried an Origin header): the key should be rolled.'),
  verification_override_forbidden: code('permission_error', 'Only a secret key may choose the verification strategy.'),
  permission_missing: code('permission_error', "A restricted key's permissions do not include this call."),
  admin_key_required: code('permission_error', 'A project key was sent to the management API (/v1/projects), which takes an admin key (ak_).'),
  // The management API
  project_not_found: code('invalid_request_error', 'No such project (status 404).'),
  project_has_tokens: code('invalid_request_error', '`token_format` and `token_management` change only while the project holds no token (status 409).'),
  origin_invalid: code('invalid_request_error', 'An allowed origin that is not a bare http(s) origin (scheme, host, port); `param` is `allowed_origins`.'),
  api_key_not_found: code('invalid_request_error', 'No such working API key in this project (status 404).'),
  api_key_already_rolled: code('invalid_request_error', 'The key was rolled already; delete it to end it sooner (status 409).'),
  admin_key_not_found: code('invalid_request_error', 'No working admin key with this id (`tessera admin-key revoke`).'),
  idempotency_key_not_supported: code('invalid_request_error', 'The management API takes no Idempotency-Key: its answers hold new secrets the vault never stores.'),
  // Idempotency and limits
  idempotency_key_reused: code('idempotency_error', 'The `Idempotency-Key` was used with a different request (status 409).'),
  idempotency_in_progress: code('idempotency_error', 'A request with this `Idempotency-Key` is still running (status 409).'),
  rate_limited: code('rate_limit_error', 'Too many requests; `Retry-After` says when to try again (status 429).'),
  // The vault, the acquirer and the browser
  master_key_mismatch: code('api_error', 'At start: the master key does not unwrap the keys the database holds; the vault refuses to start (the CLI exits 1).'),
  master_key_missing: code('api_error', 'At start: the database holds wrapped keys but no master key was given; the vault refuses to start.'),
  internal_error: code('api_error', 'An unexpected failure; the request changed nothing (status 500).'),
  database_unavailable: code('api_error', 'The database is unreachable, full or read-only, or a statement ran past its timeout; `Retry-After` says when to retry, with the same Idempotency-Key (status 503).'),
  acquirer_unavailable: code('api_error', 'The acquirer could not be reached or answered badly; retry with the same Idempotency-Key (status 502).'),
  acquirer_timeout: code('api_error', 'The acquirer did not answer in time (status 504): the outcome is unknown, nothing was stored; retry with the same Idempotency-Key.'),
  payout_failed: code('api_error', 'The acquirer refused a payout for good (status 502): nothing was paid out. The failed payout is stored: `payout` names it, `failure_code` says why.'),
  acquirer_rejected: code('invalid_request_error', 'The acquirer refused the request with a reason this vault does not know (its status).'),
  verification_unavailable: code('api_error', 'The chosen verification strategy is not available on this vault (status 503).'),
  token_generation_failed: code('api_error', 'No free token value could be allocated; try again (status 500).'),
  widget_not_built: code('api_error', 'The card field bundles are missing on the vault: run `npm run build` (status 503).'),
  frame_unavailable: code('api_error', 'The card frame did not load or refused to start (blocked by frame-ancestors, unknown key, vault down) within 10 s.', 'element'),
  frame_error: code('api_error', 'The card frame could not apply its settings.', 'element'),
  loader_unavailable: code('api_error', "`loadTessera()` could not load the vault's loader script.", 'element'),
  next_action_invalid: code('invalid_request_error', "handleNextAction() was given something other than the vault's `next_action` for this vault.", 'element'),
  next_action_in_progress: code('invalid_request_error', 'handleNextAction() was called while a 3-D Secure dialog was already open.', 'element'),
  authentication_canceled: code('card_error', 'The customer closed the 3-D Secure dialog.', 'element'),
  tokenize_in_progress: code('invalid_request_error', 'tokenize() was called while another call was still running.', 'element'),
  encryption_failed: code('api_error', 'The card could not be encrypted in this browser.', 'element'),
  network_error: code('api_error', 'The frame could not reach the vault.', 'element'),
  unknown_error: code('api_error', 'The vault gave the frame an answer it could not read.', 'element'),
} as const satisfies Record<string, CodeInfo>

export type ErrorCode = keyof typeof ERROR_CODES

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value)
}
