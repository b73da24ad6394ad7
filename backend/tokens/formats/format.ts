// The token-format plug point: how a project's token values are made.
import type { CardNumber, SecretBytes } from '../../crypto/secret.js'

export interface TokenFormatInput {
  number: CardNumber
  expMonth: number
  expYear: number
  /** The project's token key (keyed formats). */
  tokenKey: SecretBytes
  /** The merchant's requested token (merchant format only). */
  requested?: string | undefined
}

export interface TokenFormat {
  readonly name: string
  /**
   * True when the same card always gives the same value: an existing row with that value is
   * the same card, not a collision to retry.
   */
  readonly deterministic: boolean
  /** True when a collision with an existing token must be reported rather than retried. */
  readonly supplied: boolean
  generate(input: TokenFormatInput): string
}
