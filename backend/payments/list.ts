// GET /v1/payments and GET /v1/payouts: the project's payments (or payouts), newest first, in
// cursor pages signed like every other list (backend/tokens/pages.ts), filtered by token,
// customer or status. A cursor of one list is refused by the other.
import type { Kysely } from 'kysely'
import type { Principal } from '../projects/project.js'
import type { ProjectService } from '../projects/service.js'
import { listPayments, type PaymentFilter } from '../store/payments.js'
import type { Database, PaymentKind, PaymentStatus } from '../store/schema.js'
import { cursorScope, decodeCursor, encodeCursor, toPage, type Page } from '../tokens/pages.js'
import { presentPayment, type PaymentObject } from './payment.js'

export interface PaymentListInput {
  token?: string | undefined
  customerId?: string | undefined
  status?: PaymentStatus | undefined
  limit: number
  cursor?: string | undefined
}

export class PaymentList {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly projects: ProjectService,
  ) {}

  async list(principal: Principal, input: PaymentListInput, kind: PaymentKind = 'payment'): Promise<Page<PaymentObject>> {
    const keys = await this.projects.keys(principal.project.id)
    const filter: PaymentFilter = { projectId: principal.project.id, mode: principal.mode, kind, token: input.token, customerId: input.customerId, status: input.status }
    const scope = cursorScope(principal.project.id, principal.mode, `${kind}s`, [filter.token, filter.customerId, filter.status])
    const after = decodeCursor(keys.tokenKey, scope, input.cursor)
    const rows = await listPayments(this.db, filter, input.limit, after && { createdAt: after.createdAt, id: after.token })
    // The page cutter keys positions by `token`; here the position is the payment's id.
    const positioned = rows.map((row) => ({ created_at: row.created_at, token: row.id, row }))
    return toPage(positioned, input.limit, (p) => presentPayment(p.row), (p) => encodeCursor(keys.tokenKey, scope, p))
  }
}
