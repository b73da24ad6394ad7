// The sandbox's account updater: like a real one, it can only report on cards it has seen.
// The first time one of the update cards is used (authorization, verification or payout), the
// issuer's change is published, dated by the clock; `since` returns what was published since.
import { REISSUE_YEARS, REPLACEMENT_CARD_NUMBER, behaviourOf } from './test-cards.js'
import { newId } from './ledger.js'

export interface AccountUpdateRecord {
  object: 'account_update'
  id: string
  type: 'new_expiry' | 'new_number' | 'closed'
  /** The number the update is about, in clear: the merchant's vault must find its tokens by it. */
  card_number: string
  new_card_number?: string
  exp_month?: number
  exp_year?: number
  occurred_at: string
}

export interface SeenCard {
  number: string
  exp_month: number
  exp_year: number
}

export class AccountUpdatePublisher {
  /** One update per card number, in publication order. */
  readonly #published = new Map<string, { at: number; record: AccountUpdateRecord }>()

  observe(card: SeenCard, now: Date): void {
    if (this.#published.has(card.number)) return
    const record = this.#updateFor(card, now)
    if (record) this.#published.set(card.number, { at: now.getTime(), record })
  }

  /** An on-demand inquiry about one card (seed 004): seen now, and its update if the issuer has one. */
  inquire(card: SeenCard, now: Date): AccountUpdateRecord | null {
    this.observe(card, now)
    return this.#published.get(card.number)?.record ?? null
  }

  /** Inclusive of `since`, so nothing published in the same millisecond is lost; ids are stable. */
  since(since: Date): AccountUpdateRecord[] {
    return [...this.#published.values()]
      .filter((entry) => entry.at >= since.getTime())
      .sort((a, b) => a.at - b.at)
      .map((entry) => entry.record)
  }

  #updateFor(card: SeenCard, now: Date): AccountUpdateRecord | undefined {
    const base = { object: 'account_update' as const, id: newId('au'), card_number: card.number, occurred_at: now.toISOString() }
    const reissued = { exp_month: card.exp_month, exp_year: card.exp_year + REISSUE_YEARS }
    switch (behaviourOf(card.number)) {
      case 'update_new_expiry':
        return { ...base, type: 'new_expiry', ...reissued }
      case 'update_new_number':
        return { ...base, type: 'new_number', new_card_number: REPLACEMENT_CARD_NUMBER, ...reissued }
      case 'update_closed':
        return { ...base, type: 'closed' }
      default:
        return undefined
    }
  }
}
