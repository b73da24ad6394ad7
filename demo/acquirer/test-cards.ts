// The sandbox acquirer's test cards (the table is data in common/test-cards.ts, which the
// vault is given too): each number picks a deterministic behaviour. docs/acquirer.md holds the table.
import { SANDBOX_TEST_CARDS, type SandboxBehaviour } from '../../common/test-cards.js'

export { REISSUE_YEARS, REPLACEMENT_CARD_NUMBER, SANDBOX_TEST_CARDS, type SandboxBehaviour, type SandboxTestCard } from '../../common/test-cards.js'

const BY_NUMBER = new Map(SANDBOX_TEST_CARDS.map((card) => [card.number, card]))

/** A number not in the table approves (when Luhn-valid), so the vault's own test cards work. */
export function behaviourOf(number: string): SandboxBehaviour {
  return BY_NUMBER.get(number)?.behaviour ?? 'approve'
}
