// Finding tokens: search by card (a JWE of the number), customer, status, update time, and
// a customer's saved cards.
import type { Kysely } from 'kysely'
import { fingerprint } from '../crypto/fingerprint.js'
import type { Principal } from '../projects/project.js'
import type { ProjectService } from '../projects/service.js'
import type { Database, TokenRow, TokenStatus } from '../store/schema.js'
import { listTokens, type TokenFilter } from '../store/tokens.js'
import type { CardIntake } from './card-intake.js'
import { cursorScope, decodeCursor, encodeCursor, toPage, type Page } from './pages.js'

export interface SearchInput {
  card?: string | undefined
  customerId?: string | undefined
  status?: Exclude<TokenStatus, 'deleted'> | undefined
  updatedSince?: string | undefined
  limit: number
  cursor?: string | undefined
}

export class TokenSearch {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly projects: ProjectService,
    private readonly intake: CardIntake,
  ) {}

  /** Search by card uses only the number of the JWE; the JWE is opened like any card (fresh, allowed in the mode) but, being a read, not consumed. */
  async search<T>(principal: Principal, input: SearchInput, present: (row: TokenRow) => T): Promise<Page<T>> {
    const keys = await this.projects.keys(principal.project.id)
    const filter: TokenFilter = {
      projectId: principal.project.id,
      mode: principal.mode,
      customerId: input.customerId,
      statuses: input.status ? [input.status] : undefined,
      updatedSince: input.updatedSince,
    }
    if (input.card !== undefined) filter.fingerprint = fingerprint(keys.fingerprintKey, (await this.intake.open(principal, input.card)).number)
    const scope = cursorScope(principal.project.id, principal.mode, 'tokens', [filter.customerId, filter.statuses, filter.updatedSince, filter.fingerprint])
    const rows = await listTokens(this.db, filter, input.limit, decodeCursor(keys.tokenKey, scope, input.cursor))
    return toPage(rows, input.limit, present, (p) => encodeCursor(keys.tokenKey, scope, p))
  }
}
