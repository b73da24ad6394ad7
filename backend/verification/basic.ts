// `basic`: the checks a card can pass without asking anyone: Luhn, a recognised brand, a
// length valid for that brand, an expiry not past, and a CVC of the brand's length. These
// are the frame's own rules (widget/frame), so the field and the vault always agree.
import { checkExpiryDate, cvcLengthFor, luhnValid } from '../../common/card-rules.js'
import { CardError } from '../errors.js'
import type { CardToVerify, VerificationContext, VerificationResult, VerificationStrategy } from './strategy.js'

export function basicChecks(card: CardToVerify, now: Date): void {
  const digits = card.number.reveal()
  if (!luhnValid(digits)) throw new CardError('invalid_number', 'The card number is not valid.', 'card.number')
  const brand = card.number.brand
  if (brand.brand === 'unknown') throw new CardError('unsupported_brand', 'The card brand is not recognised.', 'card.number')
  if (!brand.lengths.includes(digits.length)) throw new CardError('invalid_number', 'The card number has the wrong length for its brand.', 'card.number')
  const expiry = checkExpiryDate(card.expMonth, card.expYear, now)
  if (expiry.error === 'expired_card') throw new CardError('expired_card', 'The card has expired.', 'card.exp_year')
  if (expiry.error) throw new CardError(expiry.error, 'The expiry date is not valid.', 'card.exp_year')
  if (card.cvc !== undefined && card.cvc.length !== cvcLengthFor(brand.brand)) throw new CardError('invalid_cvc', 'The security code has the wrong length for this card.', 'card.cvc')
}

export const basicStrategy: VerificationStrategy = {
  name: 'basic',
  async verify(card: CardToVerify, context: VerificationContext): Promise<VerificationResult> {
    basicChecks(card, context.now)
    return { strategy: 'basic', result: 'passed' }
  },
}
