// The vault's lifecycle jobs on one scheduler: expiry, retention, housekeeping. Other jobs
// (the account updater) join with scheduler.add().
import type { Kysely } from 'kysely'
import type { Clock } from '../clock.js'
import type { Logger } from '../logger.js'
import type { Database } from '../store/schema.js'
import type { ChangeRecorder } from '../tokens/changes.js'
import { ExpiryJob } from './expiry.js'
import { HousekeepingJob } from './housekeeping.js'
import { RetentionJob } from './retention.js'
import { JobScheduler } from './scheduler.js'

export interface JobsOptions {
  expiryIntervalMs?: number
  retentionIntervalMs?: number
  housekeepingIntervalMs?: number
  /** Tokens per query in the expiry and retention jobs. */
  batchSize?: number
  /** How long settled events stay in the event log. */
  eventRetentionMs?: number
}

const MINUTE = 60_000

/** Expiry runs often enough that a card expired at midnight UTC is marked within minutes. */
export const JOB_DEFAULTS = { expiryIntervalMs: 15 * MINUTE, retentionIntervalMs: 60 * MINUTE, housekeepingIntervalMs: 60 * MINUTE } as const

export interface JobDeps {
  db: Kysely<Database>
  clock: Clock
  logger: Logger
  recorder: ChangeRecorder
}

export function lifecycleJobs(deps: JobDeps, options: JobsOptions = {}): JobScheduler {
  const tokenDeps = { db: deps.db, clock: deps.clock, recorder: deps.recorder, batchSize: options.batchSize }
  return new JobScheduler(deps.logger)
    .add(new ExpiryJob(tokenDeps), options.expiryIntervalMs ?? JOB_DEFAULTS.expiryIntervalMs)
    .add(new RetentionJob(tokenDeps), options.retentionIntervalMs ?? JOB_DEFAULTS.retentionIntervalMs)
    .add(new HousekeepingJob({ db: deps.db, clock: deps.clock, eventRetentionMs: options.eventRetentionMs }), options.housekeepingIntervalMs ?? JOB_DEFAULTS.housekeepingIntervalMs)
}

export { JobScheduler, type Job, type JobReport } from './scheduler.js'
