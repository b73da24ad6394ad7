// Event rows (the webhook outbox): append, list, claim with a lease, settle. Claims are compare-and-set updates, so any number of processes may
// dispatch from one database without two holding the same event.
import type { ExpressionBuilder, Insertable, Kysely, Updateable } from 'kysely'
import type { Database, EventDeliveryStatus, EventRow, EventTable, Mode } from './schema.js'
import { prepared } from './prepared.js'

export interface EventKey {
  projectId: string
  mode: Mode
  id: string
}

export interface EventFilter {
  projectId: string
  mode: Mode
  /** An exact type, or a prefix when it ends in `.*` (`token.*`). */
  type?: string | undefined
  deliveryStatus?: EventDeliveryStatus | undefined
}

/** Position after which the next page starts (newest first). */
export interface EventPosition {
  createdAt: string
  id: string
}

/** A claimed event with what its delivery needs. */
export interface ClaimedEvent {
  id: string
  project_id: string
  mode: Mode
  type: string
  payload: string
  attempts: number
  deliver_until: string
  webhook_url: string | null
}

export type DeliveryOutcome = Pick<Updateable<EventTable>, 'delivery_status' | 'next_attempt_at' | 'last_attempt_at' | 'last_response_status' | 'last_error' | 'delivered_at'>

/**
 * Appends an event. A project without a webhook URL has nobody to deliver to: its events are
 * written settled (`skipped`) in the same statement, so the dispatcher never claims them (nor
 * needs a nudge: `pending` says whether the event waits for delivery).
 */
export async function insertEvent(db: Kysely<Database>, row: Insertable<EventTable>): Promise<{ pending: boolean }> {
  const { rows } = await insertEventRow(db, row)
  return { pending: rows[0]?.delivery_status === 'pending' }
}

const insertEventRow = prepared((db, row: Insertable<EventTable>) =>
  db
    .insertInto('events')
    .values((eb) => {
      const hasWebhook = eb.selectFrom('projects').select((p) => p.fn.count<number>('webhook_url').as('n')).where('id', '=', row.project_id)
      const noWebhook = () => eb.case().when(hasWebhook, '=', 0)
      return {
        ...row,
        delivery_status: noWebhook().then('skipped' as EventDeliveryStatus).else(row.delivery_status).end(),
        next_attempt_at: noWebhook().then(null).else(row.next_attempt_at ?? null).end(),
        last_error: noWebhook().then('no webhook URL').else(row.last_error ?? null).end(),
      }
    })
    .returning('delivery_status'),
)

export async function findEvent(db: Kysely<Database>, key: EventKey): Promise<EventRow | undefined> {
  return db.selectFrom('events').selectAll().where('project_id', '=', key.projectId).where('mode', '=', key.mode).where('id', '=', key.id).executeTakeFirst()
}

/** One page of events, newest first. Reads `limit + 1` rows to know if more follow. */
export async function listEvents(db: Kysely<Database>, filter: EventFilter, limit: number, after?: EventPosition): Promise<EventRow[]> {
  let query = db.selectFrom('events').selectAll().where('project_id', '=', filter.projectId).where('mode', '=', filter.mode)
  if (filter.type?.endsWith('.*')) query = query.where('type', 'like', `${filter.type.slice(0, -1)}%`)
  else if (filter.type !== undefined) query = query.where('type', '=', filter.type)
  if (filter.deliveryStatus !== undefined) query = query.where('delivery_status', '=', filter.deliveryStatus)
  if (after) {
    query = query.where((eb) => eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]))
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute()
}

/**
 * Takes up to `limit` due events whose lease is free, under the claim id `owner`, and counts
 * the attempt. The outer conditions are checked again by the update itself, so when two
 * processes race for a row, only one update matches it.
 */
export async function claimDueEvents(db: Kysely<Database>, claim: { owner: string; now: string; leaseUntil: string; limit: number }): Promise<ClaimedEvent[]> {
  const free = (eb: ExpressionBuilder<Database, 'events'>) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', claim.now)])
  const due = db
    .selectFrom('events')
    .select('id')
    .where('delivery_status', '=', 'pending')
    .where('next_attempt_at', '<=', claim.now)
    .where(free)
    .orderBy('next_attempt_at')
    .limit(claim.limit)
  await db
    .updateTable('events')
    .set((eb) => ({ lease_owner: claim.owner, lease_expires_at: claim.leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', due)
    .where('delivery_status', '=', 'pending')
    .where(free)
    .execute()
  return db
    .selectFrom('events')
    .leftJoin('projects', 'projects.id', 'events.project_id')
    .select(['events.id', 'events.project_id', 'events.mode', 'events.type', 'events.payload', 'events.attempts', 'events.deliver_until', 'projects.webhook_url'])
    .where('events.lease_owner', '=', claim.owner)
    .execute()
}

/** Records an attempt's outcome and frees the lease, if `owner` still holds it; false when another claim took over. */
export async function settleDelivery(db: Kysely<Database>, id: string, owner: string, outcome: DeliveryOutcome): Promise<boolean> {
  const result = await db
    .updateTable('events')
    .set({ ...outcome, lease_owner: null, lease_expires_at: null })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Gives a claimed event back untried (shutdown): it is due again at once, and the attempt is not counted. */
export async function releaseClaim(db: Kysely<Database>, id: string, owner: string): Promise<void> {
  await db
    .updateTable('events')
    .set((eb) => ({ lease_owner: null, lease_expires_at: null, attempts: eb('attempts', '-', 1) }))
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute()
}

/** Makes an event due now with a fresh retry window; a claim in flight loses its lease (and its result). */
export async function scheduleRedelivery(db: Kysely<Database>, key: EventKey, now: string, deliverUntil: string): Promise<EventRow | undefined> {
  await db
    .updateTable('events')
    .set({ delivery_status: 'pending', next_attempt_at: now, deliver_until: deliverUntil, lease_owner: null, lease_expires_at: null })
    .where('project_id', '=', key.projectId)
    .where('mode', '=', key.mode)
    .where('id', '=', key.id)
    .execute()
  return findEvent(db, key)
}

/** Deletes settled events created before `before`; pending ones stay until they settle. */
export async function pruneSettledEvents(db: Kysely<Database>, before: string): Promise<number> {
  const result = await db.deleteFrom('events').where('created_at', '<', before).where('delivery_status', '!=', 'pending').executeTakeFirst()
  return Number(result.numDeletedRows)
}
