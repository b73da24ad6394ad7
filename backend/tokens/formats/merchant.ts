// `merchant`: the merchant supplies the token. It is refused when it could be a card number.
import { InvalidRequestError } from '../../errors.js'
import { luhnValid } from '../../../common/card-rules.js'
import type { TokenFormat } from './format.js'

export const MERCHANT_TOKEN_SHAPE = /^[A-Za-z0-9_.:-]{1,64}$/

export function looksLikeCardNumber(value: string): boolean {
  const digits = value.replace(/[\s.:_\/-]/g, '')
  return /^\d{12,19}$/.test(digits) && luhnValid(digits)
}

/** A merchant's token value as it may be stored: its shape, and never something a card number could be. */
export function checkMerchantToken(requested: string): string {
  if (looksLikeCardNumber(requested)) throw new InvalidRequestError('token_looks_like_card', 'The token could be a card number; choose another.', 'token', 422)
  if (!MERCHANT_TOKEN_SHAPE.test(requested)) throw new InvalidRequestError('invalid_token_value', 'A token is 1-64 characters of letters, digits and _ . : -', 'token', 422)
  return requested
}

export const merchantFormat: TokenFormat = {
  name: 'merchant',
  deterministic: false,
  supplied: true,
  generate({ requested }) {
    if (requested === undefined) throw new InvalidRequestError('token_required', 'This project uses merchant-supplied tokens: pass `token`.', 'token', 422)
    return checkMerchantToken(requested)
  },
}
