// The audit chain as the API shows it: cursor pages of one project's and mode's chain, newest
// first, filtered by token, action and creation time.
import type { Kysely } from 'kysely'
import { InvalidRequestError } from '../errors.js'
import type { Principal } from '../projects/project.js'
import type { ProjectService } from '../projects/service.js'
import { listAuditEvents } from '../store/audit.js'
import type { Database } from '../store/schema.js'
import { cursorScope, decodeCursor, encodeCursor, toPage, type Page } from '../tokens/pages.js'
import { presentAuditEvent, type AuditEventObject } from './chain.js'

export interface AuditListInput {
  token?: string | undefined
  action?: string | undefined
  createdGte?: string | undefined
  createdLt?: string | undefined
  limit: number
  cursor?: string | undefined
}

export class AuditLog {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly projects: Pick<ProjectService, 'keys'>,
  ) {}

  async list(principal: Principal, input: AuditListInput): Promise<Page<AuditEventObject>> {
    const keys = await this.projects.keys(principal.project.id)
    // Signed for its filters too: a cursor continues only the list it came from.
    const scope = cursorScope(principal.project.id, principal.mode, 'audit', [input.token, input.action, input.createdGte, input.createdLt])
    // The shared cursor carries (created_at, tie-breaker); an audit page continues below a chain position.
    const after = decodeCursor(keys.tokenKey, scope, input.cursor)
    const beforeSeq = after === undefined ? undefined : Number(after.token)
    if (beforeSeq !== undefined && !(Number.isSafeInteger(beforeSeq) && beforeSeq > 0)) {
      throw new InvalidRequestError('invalid_cursor', 'The cursor is not one this vault issued for this list.', 'cursor')
    }
    const filter = { projectId: principal.project.id, mode: principal.mode, token: input.token, action: input.action, createdGte: input.createdGte, createdLt: input.createdLt }
    const rows = await listAuditEvents(this.db, filter, input.limit, beforeSeq)
    return toPage(
      rows.map((r) => ({ ...r, token: String(r.seq), row: r })),
      input.limit,
      (r) => presentAuditEvent(r.row),
      (p) => encodeCursor(keys.tokenKey, scope, p),
    )
  }
}
