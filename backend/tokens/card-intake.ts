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
import { type CardPayload, type CardPayloadReader, type CvcPayload, JTI_MEMORY_SECONDS } from './card-payload.js'

export const replayError = (param: JweField = 'card') => new InvalidRequestError('replayed_card_encryption', 'This encrypted card was used before; encrypt it again.', param)

/** The request field a JWE came in: a replay's `param` names it. */
type JweField = 'card' | 'card_cvc'
type Claimable = Pick<CardPayload, 'jti'> & { field?: JweField }

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

  /** Decrypts and checks a saved card's CVC JWE (`card_cvc`), which must have been typed for `token`; claim it like a card. */
  async openCvc(jwe: string, token: string): Promise<CvcPayload & { field: 'card_cvc' }> {
    const payload = await this.deps.payloads.readCvc(jwe)
    if (payload.token !== token) throw new InvalidRequestError('parameter_invalid', '`card_cvc` was encrypted for another saved card.', 'card_cvc')
    return { ...payload, field: 'card_cvc' }
  }

  /** Claims the card's jti on `db` (the caller's transaction): a second use, even a concurrent one, is a replay. */
  async claim(db: Kysely<Database>, card: Claimable): Promise<void> {
    const until = new Date(this.deps.clock.now().getTime() + JTI_MEMORY_SECONDS * 1000).toISOString()
    if ((await recordJti(db, card.jti, until)) === 'conflict') throw replayError(card.field)
  }

  /** Withdraws a claim whose work recorded nothing (a payment that failed before any answer), so the JWE may be retried. */
  async release(db: Kysely<Database>, card: Pick<CardPayload, 'jti'>): Promise<void> {
    await forgetJti(db, card.jti)
  }
}
