// `acquirer`: the basic checks, then a zero-amount authorization at the acquirer with the CVC
// when one was given. A decline is the AcquirerDeclinedError itself (402 card_error with its
// decline code); an acquirer that is down, failing or slow is a 502/504 api_error. Either way
// the card is not stored: the tokenizer stores only after verify() resolves.
import type { AcquirerClient } from '../acquirer/client.js'
import { basicChecks } from './basic.js'
import type { CardToVerify, VerificationContext, VerificationResult, VerificationStrategy } from './strategy.js'

export function acquirerStrategy(acquirer: AcquirerClient): VerificationStrategy {
  return {
    name: 'acquirer',
    remote: true,
    async verify(card: CardToVerify, context: VerificationContext): Promise<VerificationResult> {
      basicChecks(card, context.now)
      const verification = await acquirer.verify({ card: { number: card.number, expMonth: card.expMonth, expYear: card.expYear, cvc: card.cvc } })
      return { strategy: 'acquirer', result: 'passed', reference: verification.reference }
    },
  }
}
