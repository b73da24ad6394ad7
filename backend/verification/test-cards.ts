import { CardError } from '../errors.js'

// Test and live mode keep apart: the numbers themselves are data (common/test-cards.ts) the
// vault is given.

/**
 * Test and live are separate repositories: test mode holds only test cards, so a real card
 * can never sit in a test repository, and live mode refuses the test numbers.
 */
export function checkCardForMode(mode: 'test' | 'live', digits: string, testCards: ReadonlySet<string>): void {
  const isTest = testCards.has(digits)
  if (mode === 'test' && !isTest) throw new CardError('test_card_required', 'Test mode accepts only test card numbers.', 'card.number')
  if (mode === 'live' && isTest) throw new CardError('live_card_required', 'Live mode refuses test card numbers.', 'card.number')
}
