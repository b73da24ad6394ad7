// The verification plug point: how a card is checked before it is stored.
import type { CardNumber } from '../crypto/secret.js'
import type { Mode } from '../store/schema.js'

export interface CardToVerify {
  number: CardNumber
  expMonth: number
  expYear: number
  /** Used for this check only; never stored, never logged. */
  cvc?: string | undefined
  name?: string | undefined
}

export interface VerificationContext {
  mode: Mode
  projectId: string
  now: Date
  requestId?: string | undefined
}

export interface VerificationResult {
  strategy: string
  result: 'passed' | 'skipped'
  /** The acquirer's reference for a zero-amount authorization, when one was made. */
  reference?: string
}

export interface VerificationStrategy {
  readonly name: string
  /** True when verifying asks someone else (the acquirer): the JWE is claimed before, so a replay never reaches them. */
  readonly remote?: boolean
  /** Resolves when the card may be stored; throws a CardError (or an acquirer ApiError) when not. */
  verify(card: CardToVerify, context: VerificationContext): Promise<VerificationResult>
}
