// The test card numbers, as data: the documented ones (the only numbers test mode accepts,
// refused in live mode) and the sandbox acquirer's, each picking a deterministic behaviour
// there (every one Luhn-valid and a Visa by credit-card-type, so the vault's basic checks
// accept it). The vault is given these numbers (createVault's `testCards`); the sandbox reads
// its table from here; docs/acquirer.md holds the table for people.

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

export type SandboxBehaviour =
  | 'approve'
  | 'insufficient_funds'
  | 'do_not_honor'
  | 'expired_card'
  | 'incorrect_cvc'
  | 'processing_error'
  | 'hang'
  | 'update_new_expiry'
  | 'update_new_number'
  | 'update_closed'
  | 'three_d_secure_challenge'
  | 'three_d_secure_frictionless'
  | 'three_d_secure_failed'
  | 'three_d_secure_unavailable'
  | 'payout_not_supported'

export interface SandboxTestCard {
  number: string
  brand: string
  behaviour: SandboxBehaviour
  description: string
}

/** The number `update_new_number` is replaced by; it approves like any other card. */
export const REPLACEMENT_CARD_NUMBER = '4000000000005308'

/** How many years an account update moves the expiry on: a reissued card's usual term. */
export const REISSUE_YEARS = 3

export const SANDBOX_TEST_CARDS: readonly SandboxTestCard[] = Object.freeze([
  { number: '4000000000000077', brand: 'visa', behaviour: 'approve', description: 'Approves every operation.' },
  { number: '4000000000009995', brand: 'visa', behaviour: 'insufficient_funds', description: 'Declines with insufficient_funds.' },
  { number: '4000000000000002', brand: 'visa', behaviour: 'do_not_honor', description: 'Declines with do_not_honor.' },
  { number: '4000000000000069', brand: 'visa', behaviour: 'expired_card', description: 'Declines with expired_card, whatever expiry is sent.' },
  { number: '4000000000000127', brand: 'visa', behaviour: 'incorrect_cvc', description: 'Declines with incorrect_cvc when a CVC is sent; approves without one.' },
  { number: '4000000000000119', brand: 'visa', behaviour: 'processing_error', description: 'Answers 500 processing_error; nothing is recorded.' },
  { number: '4000000000005001', brand: 'visa', behaviour: 'hang', description: 'Never answers within the client timeout (holds the request for hangMs, then 504).' },
  { number: '4000000000005100', brand: 'visa', behaviour: 'update_new_expiry', description: `Approves; once seen, the account updater reports the same month ${REISSUE_YEARS} years later.` },
  { number: '4000000000005209', brand: 'visa', behaviour: 'update_new_number', description: `Approves; once seen, the account updater reports the new number ${REPLACEMENT_CARD_NUMBER}, expiry ${REISSUE_YEARS} years later.` },
  { number: REPLACEMENT_CARD_NUMBER, brand: 'visa', behaviour: 'approve', description: 'Approves; the replacement number reported for 4000000000005209.' },
  { number: '4000000000005407', brand: 'visa', behaviour: 'update_closed', description: 'Approves; once seen, the account updater reports the account closed.' },
  { number: '4000000000003220', brand: 'visa', behaviour: 'three_d_secure_challenge', description: '3-D Secure 2: the issuer asks for a challenge (a page with Complete and Fail buttons).' },
  { number: '4000000000003055', brand: 'visa', behaviour: 'three_d_secure_frictionless', description: '3-D Secure 2: frictionless, authenticated (ECI 05).' },
  { number: '4000000000003063', brand: 'visa', behaviour: 'three_d_secure_failed', description: '3-D Secure 2: frictionless, failed (ECI 07).' },
  { number: '4000000000003097', brand: 'visa', behaviour: 'three_d_secure_unavailable', description: '3-D Secure 2: authentication unavailable (the card is not enrolled); authorizes without it.' },
  { number: '4000000000006108', brand: 'visa', behaviour: 'payout_not_supported', description: 'Approves payments and verifications; a payout fails definitively (422 payout_not_supported, recorded as failed): the card cannot receive push payments.' },
])

/** Every number test mode accepts by default: the documented cards and the sandbox's. */
export const TEST_CARD_NUMBERS: readonly string[] = Object.freeze([...DOCUMENTED_TEST_CARDS, ...SANDBOX_TEST_CARDS.map((card) => card.number)])
