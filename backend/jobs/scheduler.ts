// Runs the vault's periodic jobs on timers that never keep the process alive. Each job is safe
// to run in several processes at once (its writes are conditional), and one process never
// runs the same job twice at the same time. Tests call runOnce() with an injected clock.
import type { Logger } from '../logger.js'
import { unavailableFrom } from '../store/availability.js'

/** What a run did, as counts (`{expired: 3}`), for logs and tests. */
export type JobReport = Record<string, number>

export interface Job {
  readonly name: string
  run(): Promise<JobReport>
}

interface Entry {
  job: Job
  intervalMs: number
  timer: NodeJS.Timeout | null
  running: Promise<JobReport> | null
  /** Runs in a row that failed because the database was unavailable. */
  waits: number
}

/**
 * A run the database's absence failed is tried again sooner than the job's interval: after this,
 * doubling up to the cap (never later than the interval). The sweeps are idempotent, so a run
 * cut off half-way just does the rest next time.
 */
export const JOB_RETRY = { firstWaitMs: 2_000, maxWaitMs: 30_000 } as const

export class JobScheduler {
  readonly #entries = new Map<string, Entry>()
  #started = false

  readonly #retry: { firstWaitMs: number; maxWaitMs: number }

  constructor(
    private readonly logger: Logger,
    retry: { firstWaitMs?: number; maxWaitMs?: number } = {},
  ) {
    this.#retry = { ...JOB_RETRY, ...retry }
  }

  add(job: Job, intervalMs: number): this {
    if (this.#entries.has(job.name)) throw new Error(`job ${job.name} is already scheduled`)
    if (!(intervalMs > 0)) throw new Error(`job ${job.name} needs a positive interval`)
    const entry: Entry = { job, intervalMs, timer: null, running: null, waits: 0 }
    this.#entries.set(job.name, entry)
    if (this.#started) this.schedule(entry)
    return this
  }

  get names(): string[] {
    return [...this.#entries.keys()]
  }

  /** First runs come one interval after start, so a restart loop cannot hammer the database. */
  start(): void {
    if (this.#started) return
    this.#started = true
    for (const entry of this.#entries.values()) this.schedule(entry)
  }

  async stop(): Promise<void> {
    this.#started = false
    for (const entry of this.#entries.values()) {
      if (entry.timer) clearTimeout(entry.timer)
      entry.timer = null
    }
    await Promise.all([...this.#entries.values()].map((e) => e.running?.catch(() => undefined)))
  }

  /** Runs one job now (after its current run, if one is under way) and reports what it did. */
  async runOnce(name: string): Promise<JobReport> {
    const entry = this.#entries.get(name)
    if (!entry) throw new Error(`no job named ${name}`)
    while (entry.running) await entry.running.catch(() => undefined)
    entry.running = entry.job.run().finally(() => {
      entry.running = null
    })
    return entry.running
  }

  /** Every job once, in the order they were added. */
  async runAll(): Promise<Record<string, JobReport>> {
    const reports: Record<string, JobReport> = {}
    for (const name of this.#entries.keys()) reports[name] = await this.runOnce(name)
    return reports
  }

  private schedule(entry: Entry, delayMs = entry.intervalMs): void {
    entry.timer = setTimeout(async () => {
      entry.timer = null
      let next = entry.intervalMs
      try {
        const report = await this.runOnce(entry.job.name)
        if (entry.waits > 0) this.logger.info({ job: entry.job.name }, 'job resumed: the database is back')
        entry.waits = 0
        if (Object.values(report).some((n) => n > 0)) this.logger.info({ job: entry.job.name, ...report }, 'job ran')
      } catch (error) {
        const unavailable = unavailableFrom(error)
        if (unavailable) {
          if (entry.waits === 0) this.logger.warn({ job: entry.job.name, code: unavailable.code }, 'job waiting: the database is unavailable')
          next = Math.min(entry.intervalMs, this.#retry.maxWaitMs, this.#retry.firstWaitMs * 2 ** entry.waits)
          entry.waits++
        } else {
          this.logger.error({ job: entry.job.name, err: error }, 'job failed')
        }
      }
      if (this.#started) this.schedule(entry, next)
    }, delayMs)
    entry.timer.unref()
  }
}
