// Housekeeping: forgets what no longer matters. Replay ids past their window (a JWE that old
// is refused as stale anyway), idempotency records past their day, expired customer sessions,
// and settled events older
// than the event log keeps (pending ones stay until they are delivered or fail).
import type { Kysely } from 'kysely'
import type { Clock } from '../clock.js'
import { pruneCustomerSessions } from '../store/customer-sessions.js'
import { pruneSettledEvents } from '../store/events.js'
import type { Database } from '../store/schema.js'
import type { Job, JobReport } from './scheduler.js'

export const HOUSEKEEPING_DEFAULTS = { eventRetentionMs: 30 * 24 * 60 * 60 * 1000 } as const

export interface HousekeepingDeps {
  db: Kysely<Database>
  clock: Clock
  eventRetentionMs?: number
}

export class HousekeepingJob implements Job {
  readonly name = 'housekeeping'
  constructor(private readonly deps: HousekeepingDeps) {}

  async run(): Promise<JobReport> {
    const { db, clock } = this.deps
    const now = clock.now()
    const jtis = await db.deleteFrom('seen_jtis').where('expires_at', '<=', now.toISOString()).executeTakeFirst()
    const idempotency = await db.deleteFrom('idempotency_keys').where('expires_at', '<=', now.toISOString()).executeTakeFirst()
    const sessions = await pruneCustomerSessions(db, now.toISOString())
    const events = await pruneSettledEvents(db, new Date(now.getTime() - (this.deps.eventRetentionMs ?? HOUSEKEEPING_DEFAULTS.eventRetentionMs)).toISOString())
    return { seen_jtis: Number(jtis.numDeletedRows), idempotency_keys: Number(idempotency.numDeletedRows), customer_sessions: sessions, events }
  }
}
