// The project's event log as the API shows it: cursor pages (newest first, filtered by type or
// delivery status), one event, and a redelivery by hand.
import type { Kysely } from 'kysely'
import type { Clock } from '../clock.js'
import { ConflictError, NotFoundError } from '../errors.js'
import type { Principal } from '../projects/project.js'
import type { ProjectService } from '../projects/service.js'
import { findEvent, listEvents, scheduleRedelivery, type EventFilter } from '../store/events.js'
import type { Database, EventDeliveryStatus } from '../store/schema.js'
import { cursorScope, decodeCursor, encodeCursor, toPage, type Page } from '../tokens/pages.js'
import { presentEvent } from './outbox.js'
import { RETRY_POLICY } from './retry-policy.js'

export type EventView = ReturnType<typeof presentEvent>

export interface EventListInput {
  type?: string | undefined
  deliveryStatus?: EventDeliveryStatus | undefined
  limit: number
  cursor?: string | undefined
}

export interface EventLogDeps {
  db: Kysely<Database>
  clock: Clock
  projects: ProjectService
  /** Called after a redelivery is scheduled: the dispatcher looks at once. */
  onRedeliver?: () => void
}

const notFound = () => new NotFoundError('event_not_found', 'No such event.', 'id')

export class EventLog {
  constructor(private readonly deps: EventLogDeps) {}

  async list(principal: Principal, input: EventListInput): Promise<Page<EventView>> {
    const keys = await this.deps.projects.keys(principal.project.id)
    const filter: EventFilter = { projectId: principal.project.id, mode: principal.mode, type: input.type, deliveryStatus: input.deliveryStatus }
    const scope = cursorScope(principal.project.id, principal.mode, 'events', [filter.type, filter.deliveryStatus])
    const after = decodeCursor(keys.tokenKey, scope, input.cursor)
    const rows = await listEvents(this.deps.db, filter, input.limit, after && { createdAt: after.createdAt, id: after.token })
    // The shared page helpers name a row's tie-breaker `token`; an event's is its id.
    return toPage(rows.map((r) => ({ ...r, token: r.id })), input.limit, presentEvent, (p) => encodeCursor(keys.tokenKey, scope, p))
  }

  async get(principal: Principal, id: string): Promise<EventView> {
    const row = await findEvent(this.deps.db, { projectId: principal.project.id, mode: principal.mode, id })
    if (!row) throw notFound()
    return presentEvent(row)
  }

  /** Sends the event again now; if that fails it is retried on the usual schedule for three more days. */
  async redeliver(principal: Principal, id: string): Promise<EventView> {
    const key = { projectId: principal.project.id, mode: principal.mode, id }
    if (!(await findEvent(this.deps.db, key))) throw notFound()
    if (!principal.project.webhookUrl) throw new ConflictError('webhook_url_missing', 'This project has no webhook URL to deliver to.')
    const now = this.deps.clock.now()
    const row = await scheduleRedelivery(this.deps.db, key, now.toISOString(), new Date(now.getTime() + RETRY_POLICY.deliverForMs).toISOString())
    if (!row) throw notFound()
    this.deps.onRedeliver?.()
    return presentEvent(row)
  }
}
