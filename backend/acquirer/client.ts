// The acquirer plug point: what the vault asks of a card acquirer. One HTTP implementation
// (http-client.ts) speaks to the sandbox acquirer or to a real one with the same API; tests
// may fake this interface. Card numbers travel as CardNumber and are revealed only on the wire.
import type { CardNumber } from '../crypto/secret.js'

export type { AcquirerError } from './errors.js'
export { AcquirerDeclinedError, AcquirerNotificationError, AcquirerRejectedError, AcquirerTimeoutError, AcquirerUnavailableError } from './errors.js'

export type Initiator = 'customer' | 'merchant'

export interface CardDetails {
  number: CardNumber
  expMonth: number
  expYear: number
  /** For this call only: never stored, never logged. Refused on merchant-initiated calls. */
  cvc?: string | undefined
}

/** The card without its CVC: what a payout or a merchant-initiated call may send. */
export type StoredCardDetails = Omit<CardDetails, 'cvc'>

export interface AuthorizeRequest {
  card: CardDetails
  /** Minor units, > 0. */
  amount: number
  /** ISO 4217, upper case. */
  currency: string
  initiator: Initiator
  /** Capture at once (a sale) or only authorize (capture later). */
  capture: boolean
  /** The 3-D Secure authentication that went before, when one did (its result passed). */
  threeDSecure?: ThreeDSecureProof | undefined
}

/**
 * The issuer's soft decline: this cardholder-initiated payment needs 3-D Secure. A vault in
 * `automatic` mode answers it by authenticating and authorizing again.
 */
export const AUTHENTICATION_REQUIRED = 'authentication_required'

export type AuthenticationResult = 'authenticated' | 'attempted' | 'failed' | 'unavailable'
export type AuthenticationFlow = 'frictionless' | 'challenge'

/** A 3-D Secure 2 authentication request (the AReq a 3-D Secure server sends for the vault). */
export interface AuthenticationRequest {
  /** No CVC: authentication is about the cardholder, not the card's security code. */
  card: StoredCardDetails
  amount: number
  currency: string
  /** Where the acquirer POSTs a challenge's result, signed, server to server. */
  notificationUrl: string
}

interface AuthenticationBase {
  /** The acquirer's id for the authentication: what an authorization and a notification name. */
  reference: string
  /** The directory server's transaction id (dsTransID). */
  transactionId: string
  /** The 3-D Secure protocol version used, e.g. `2.2.0`. */
  version: string
  createdAt: Date
}

/** The issuer wants the cardholder: show `challengeUrl` to them; the result comes as a notification. */
export interface ChallengeRequired extends AuthenticationBase {
  status: 'challenge_required'
  challengeUrl: string
}

/** A finished authentication: frictionless at once, or after a challenge (then by notification). */
export interface CompletedAuthentication extends AuthenticationBase {
  status: 'completed'
  flow: AuthenticationFlow
  result: AuthenticationResult
  /** The Electronic Commerce Indicator the scheme assigned (Visa 05/06/07, Mastercard 02/01/00). */
  eci: string | null
}

export type Authentication = ChallengeRequired | CompletedAuthentication

/** What an authorization carries of a passed authentication. */
export interface ThreeDSecureProof {
  reference: string
  transactionId: string
  version: string
  eci: string | null
  result: AuthenticationResult
}

/** A notification as it arrived: the raw body (signatures cover bytes) and the headers. */
export interface AcquirerNotification {
  body: string
  header(name: string): string | undefined
}

/** Capture or refund: `amount` defaults to the rest (all that is authorized, or all not yet refunded). */
export interface AmountRequest {
  amount?: number | undefined
}

export interface PayoutRequest {
  card: StoredCardDetails
  amount: number
  currency: string
}

export interface VerifyRequest {
  card: CardDetails
}

export interface CallOptions {
  /**
   * The acquirer replays its first answer for a repeated key (and refuses the key with another
   * request). Pass a key derived from the vault's own Idempotency-Key so that a retried payment
   * cannot authorize twice; without one the client makes a fresh key per call.
   */
  idempotencyKey?: string | undefined
}

export type AuthorizationStatus = 'authorized' | 'captured' | 'partially_refunded' | 'refunded'

/** `pass` when a CVC was sent and matched; `unchecked` when none was sent. A mismatch is a decline. */
export type CvcCheck = 'pass' | 'unchecked'

export interface Authorization {
  /** The acquirer's id for this authorization: what capture and refund take. */
  reference: string
  status: AuthorizationStatus
  amount: number
  amountCaptured: number
  amountRefunded: number
  currency: string
  initiator: Initiator
  cvcCheck: CvcCheck
  createdAt: Date
}

export interface Payout {
  reference: string
  status: 'paid'
  amount: number
  currency: string
  createdAt: Date
}

export interface Verification {
  reference: string
  cvcCheck: CvcCheck
  createdAt: Date
}

interface AccountUpdateBase {
  /** Stable: the same update may be returned twice at a `since` boundary; apply it once. */
  id: string
  /** The number the update is about: the vault finds its tokens by this number's fingerprint. */
  number: CardNumber
  occurredAt: Date
}

export type AccountUpdate =
  | (AccountUpdateBase & { kind: 'new_expiry'; expMonth: number; expYear: number })
  | (AccountUpdateBase & { kind: 'new_number'; newNumber: CardNumber; expMonth: number; expYear: number })
  | (AccountUpdateBase & { kind: 'closed' })

export interface AccountUpdateBatch {
  /** Oldest first. */
  updates: AccountUpdate[]
  /** The acquirer's time when it answered: the `since` of the next call. */
  asOf: Date
}

/**
 * Every method resolves with the acquirer's record or throws an AcquirerError:
 * AcquirerDeclinedError (402, with a decline code), AcquirerUnavailableError (502),
 * AcquirerTimeoutError (504) or AcquirerRejectedError (the acquirer's 400/404/409).
 */
export interface AcquirerClient {
  authorize(request: AuthorizeRequest, options?: CallOptions): Promise<Authorization>
  capture(reference: string, request?: AmountRequest, options?: CallOptions): Promise<Authorization>
  refund(reference: string, request?: AmountRequest, options?: CallOptions): Promise<Authorization>
  payout(request: PayoutRequest, options?: CallOptions): Promise<Payout>
  /** A zero-amount authorization: checks the card (and its CVC when given) without charging. */
  verify(request: VerifyRequest, options?: CallOptions): Promise<Verification>
  /** New expiries, new numbers and closed accounts reported at or after `since`. */
  accountUpdates(since: Date): Promise<AccountUpdateBatch>
  /** Starts 3-D Secure 2: a frictionless result at once, or a challenge for the cardholder. */
  authenticate(request: AuthenticationRequest, options?: CallOptions): Promise<Authentication>
  /**
   * Checks that a notification really comes from the acquirer (its signature, its age at `now`)
   * and reads the finished authentication from it. Throws AcquirerNotificationError otherwise.
   */
  readNotification(notification: AcquirerNotification, now: Date): CompletedAuthentication
}
