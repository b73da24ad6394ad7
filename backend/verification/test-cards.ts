import { CardError } from '../errors.js'

// The documented test card numbers: the only numbers test mode accepts, and numbers live
// mode refuses. The sandbox acquirer's decline and fault cards join them.

export const DOCUMENTED_TEST_CARDS: readonly string[] = [
  '4242424242424242',
  '4111111111111111',
  '4314220000000056',
  '4000056655665556',
  '5555555555554444',
  '2223003122003222',
  '5200828282828210',
  '378282246310005',
  '371449635398431',
  '6011111111111117',
  '6011000990139424',
  '3566002020360505',
  '36227206271667',
  '6200000000000005',
]

/**
 * Test and live are separate repositories: test mode holds only test cards, so a real card
 * can never sit in a test repository, and live mode refuses the test numbers.
 */
export function checkCardForMode(mode: 'test' | 'live', digits: string, testCards: ReadonlySet<string>): void {
  const isTest = testCards.has(digits)
  if (mode === 'test' && !isTest) throw new CardError('test_card_required', 'Test mode accepts only test card numbers.', 'card.number')
  if (mode === 'live' && isTest) throw new CardError('live_card_required', 'Live mode refuses test card numbers.', 'card.number')
}
