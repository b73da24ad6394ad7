// One way in for a card: every door that takes a card JWE (tokenize, token update, payment by
// card, search by card) opens it here (decrypted, checked, fresh, allowed in the principal's
// mode) and claims its jti inside its own transaction, so replay, freshness and the test-card
// rule are written once.
import type { Kysely } from 'kysely'
import type { Clock } from '../clock.js'
import { InvalidRequestError } from '../errors.js'
import type { Principal } from '../projects/project.js'
import { forgetJti, recordJti } from '../store/replay.js'
import type { Database } from '../store/schema.js'
import { checkCardForMode } from '../verification/test-cards.js'
import { type CardPayload, type CardPayloadReader, JTI_MEMORY_SECONDS } from './card-payload.js'

export const replayError = () => new InvalidRequestError('replayed_card_encryption', 'This encrypted card was used before; encrypt it again.', 'card')

export interface CardIntakeDeps {
  payloads: CardPayloadReader
  clock: Clock
  /** The numbers test mode accepts and live mode refuses. */
  testCards: ReadonlySet<string>
}

export class CardIntake {
  constructor(private readonly deps: CardIntakeDeps) {}

  /** Decrypts and checks a card JWE for this principal; reads nothing from the store. */
  async open(principal: Principal, jwe: string): Promise<CardPayload> {
    const payload = await this.deps.payloads.read(jwe)
    checkCardForMode(principal.mode, payload.number.reveal(), this.deps.testCards)
    return payload
  }

  /** Claims the card's jti on `db` (the caller's transaction): a second use, even a concurrent one, is a replay. */
  async claim(db: Kysely<Database>, card: Pick<CardPayload, 'jti'>): Promise<void> {
    const until = new Date(this.deps.clock.now().getTime() + JTI_MEMORY_SECONDS * 1000).toISOString()
    if ((await recordJti(db, card.jti, until)) === 'conflict') throw replayError()
  }

  /** Withdraws a claim whose work recorded nothing (a payment that failed before any answer), so the JWE may be retried. */
  async release(db: Kysely<Database>, card: Pick<CardPayload, 'jti'>): Promise<void> {
    await forgetJti(db, card.jti)
  }
}
