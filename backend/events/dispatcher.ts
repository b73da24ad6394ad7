// The webhook dispatcher: claims due events from the outbox with a lease, POSTs each signed
// body to its project's webhook URL, and settles it as delivered, retried later or failed.
// Delivery is at least once: a process that dies mid-delivery leaves its lease to expire and
// another claim sends the event again; the event id lets receivers drop the duplicate.
import crypto from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Kysely } from 'kysely'
import type { Clock } from '../clock.js'
import type { Logger } from '../logger.js'
import { unavailableFrom } from '../store/availability.js'
import { claimDueEvents, releaseClaim, settleDelivery, type ClaimedEvent, type DeliveryOutcome } from '../store/events.js'
import type { Database } from '../store/schema.js'
import { nextAttemptAt, RETRY_POLICY, type RetryPolicy } from './retry-policy.js'
import { SIGNATURE_HEADER, signWebhook } from './signer.js'
import type { SigningKey } from './signing-keys.js'
import { postWebhook } from './webhook-request.js'
import { checkWebhookUrl, systemResolve, WebhookUrlError, type CheckedWebhookUrl, type WebhookUrlPolicy } from './webhook-url.js'

export interface DispatcherOptions {
  /** How often each process looks for due events (besides the nudge after each new event). */
  pollIntervalMs?: number
  /** Events claimed and sent concurrently per round. */
  batchSize?: number
  /** How long a claim holds an event; past it another process may send it. Longer than the timeout. */
  leaseMs?: number
  /** A receiver that has not answered by then counts as a failure. */
  timeoutMs?: number
  retry?: RetryPolicy
}

export const DISPATCHER_DEFAULTS = { pollIntervalMs: 1_000, batchSize: 20, leaseMs: 60_000, timeoutMs: 10_000 } as const

export interface DispatcherDeps {
  db: Kysely<Database>
  clock: Clock
  logger: Logger
  signingKey(): Promise<SigningKey>
  /** Randomness for the retry jitter (injected so tests can pin it). */
  random?: () => number
  /** The webhook-URL rule's settings; default: internal addresses refused, the system resolver. */
  webhookUrls?: Partial<WebhookUrlPolicy>
}

export interface DispatchReport {
  claimed: number
  delivered: number
  retrying: number
  failed: number
  skipped: number
}

/** How soon a nudged round that found nothing looks again. */
const NUDGE_FOLLOW_UP_MS = 50

/**
 * How soon after a nudge the round runs: the nudges of that moment share one round (claim,
 * read), not one round per new event, which under load doubled the statements per write.
 */
const NUDGE_DELAY_MS = 10

/**
 * While the database is away, a delivery whose receiver already answered keeps trying to record
 * the outcome (first wait, doubling to the cap) for this share of its lease: recorded within the
 * lease, the event is not sent again. Past it the next claim sends it again (at least once).
 */
const SETTLE_RETRY = { firstWaitMs: 250, maxWaitMs: 2_000, leaseShare: 0.8 } as const

const emptyReport = (): DispatchReport => ({ claimed: 0, delivered: 0, retrying: 0, failed: 0, skipped: 0 })

/** A short, card-free description of why an attempt failed. */
function describeFailure(error: unknown): string {
  const e = error as { name?: string; code?: unknown; cause?: { name?: string; code?: unknown }; message?: string }
  if (e.name === 'TimeoutError' || e.cause?.name === 'TimeoutError') return 'timeout'
  if (typeof e.code === 'string' && e.code !== 'ABORT_ERR') return e.code
  if (typeof e.cause?.code === 'string') return e.cause.code
  return (e.message ?? 'request failed').slice(0, 200)
}

export class WebhookDispatcher {
  readonly #options: Required<Omit<DispatcherOptions, 'retry'>> & { retry: RetryPolicy }
  readonly #random: () => number
  readonly #urlPolicy: WebhookUrlPolicy
  #timer: NodeJS.Timeout | null = null
  /** When the pending timer fires (performance.now()). */
  #dueAt = 0
  #started = false
  #round: Promise<DispatchReport> | null = null
  #again = false
  #nudged = false
  #shutdown = new AbortController()
  /** Set while rounds fail because the database is away: one log line when it starts, one when it ends. */
  #paused: string | null = null

  constructor(
    private readonly deps: DispatcherDeps,
    options: DispatcherOptions = {},
  ) {
    this.#options = Object.freeze({
      pollIntervalMs: options.pollIntervalMs ?? DISPATCHER_DEFAULTS.pollIntervalMs,
      batchSize: options.batchSize ?? DISPATCHER_DEFAULTS.batchSize,
      leaseMs: options.leaseMs ?? DISPATCHER_DEFAULTS.leaseMs,
      timeoutMs: options.timeoutMs ?? DISPATCHER_DEFAULTS.timeoutMs,
      retry: options.retry ?? RETRY_POLICY,
    })
    if (this.#options.leaseMs <= this.#options.timeoutMs) throw new Error('the dispatcher lease must outlast the delivery timeout')
    this.#random = deps.random ?? Math.random
    this.#urlPolicy = { allowPrivate: deps.webhookUrls?.allowPrivate ?? false, resolve: deps.webhookUrls?.resolve ?? systemResolve }
  }

  /** Polls on a timer that never keeps the process alive. */
  start(): void {
    if (this.#started) return
    this.#started = true
    this.#shutdown = new AbortController()
    this.schedule(0)
  }

  /** Stops polling; deliveries in flight are abandoned and their events released for the next claim. */
  async stop(): Promise<void> {
    this.#started = false
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    this.#shutdown.abort()
    await this.#round?.catch(() => undefined)
  }

  /**
   * Something was just written to the outbox: look soon rather than at the next poll. The writer
   * calls this inside its transaction, so a round that finds nothing looks once more shortly after
   * (on PostgreSQL the round may run before the commit).
   */
  nudge(): void {
    if (!this.#started) return
    this.#nudged = true
    if (this.#round) this.#again = true
    else if (this.#timer === null || this.#dueAt > performance.now() + NUDGE_DELAY_MS) this.schedule(NUDGE_DELAY_MS)
  }

  /** One round: claim what is due, send it, settle it. Rounds in one process never overlap. */
  async runOnce(): Promise<DispatchReport> {
    while (this.#round) await this.#round.catch(() => undefined)
    this.#round = this.round().finally(() => {
      this.#round = null
    })
    return this.#round
  }

  private schedule(delayMs: number): void {
    if (!this.#started) return
    if (this.#timer) clearTimeout(this.#timer)
    this.#dueAt = performance.now() + delayMs
    this.#timer = setTimeout(() => void this.tick(), delayMs)
    this.#timer.unref()
  }

  private async tick(): Promise<void> {
    this.#timer = null
    const nudged = this.#nudged
    this.#nudged = false
    let claimed = 0
    try {
      claimed = (await this.runOnce()).claimed
      if (this.#paused) this.deps.logger.info({ code: this.#paused }, 'webhook dispatch resumed: the database is back')
      this.#paused = null
    } catch (error) {
      const unavailable = unavailableFrom(error)
      if (!this.#started) {
        // stopping: nothing to say
      } else if (unavailable) {
        // Paused, not failed: the next rounds keep polling at the usual interval until it is back.
        if (!this.#paused) this.deps.logger.warn({ code: unavailable.code }, 'webhook dispatch paused: the database is unavailable')
        this.#paused = unavailable.code
      } else {
        this.deps.logger.error({ err: error }, 'webhook dispatch round failed')
      }
    }
    const followUp = nudged && claimed === 0 ? Math.min(NUDGE_FOLLOW_UP_MS, this.#options.pollIntervalMs) : this.#options.pollIntervalMs
    // A full batch: more are due now. Nudged during the round: another round, after the nudge delay.
    this.schedule(claimed >= this.#options.batchSize ? 0 : this.#again ? NUDGE_DELAY_MS : followUp)
    this.#again = false
  }

  private async round(): Promise<DispatchReport> {
    const now = this.deps.clock.now()
    const owner = 'dsp_' + crypto.randomBytes(9).toString('hex')
    const claimed = await claimDueEvents(this.deps.db, {
      owner,
      now: now.toISOString(),
      leaseUntil: new Date(now.getTime() + this.#options.leaseMs).toISOString(),
      limit: this.#options.batchSize,
    })
    const report = emptyReport()
    report.claimed = claimed.length
    const settleBy = performance.now() + this.#options.leaseMs * SETTLE_RETRY.leaseShare
    const outcomes = await Promise.all(claimed.map((event) => this.deliver(event, owner, settleBy)))
    for (const outcome of outcomes) if (outcome) report[outcome]++
    return report
  }

  private async deliver(event: ClaimedEvent, owner: string, settleBy: number): Promise<Exclude<keyof DispatchReport, 'claimed'> | null> {
    if (!event.webhook_url) {
      await settleDelivery(this.deps.db, event.id, owner, { delivery_status: 'skipped', next_attempt_at: null, last_error: 'no webhook URL' })
      return 'skipped'
    }
    let target: CheckedWebhookUrl
    try {
      // Checked again at every delivery, and the connection goes to the address checked.
      target = await checkWebhookUrl(event.webhook_url, { ...this.#urlPolicy, mode: event.mode, purpose: 'deliver' })
    } catch (e) {
      if (!(e instanceof WebhookUrlError)) throw e
      // Never sent: recorded as a failed attempt, retried (the merchant may fix the URL) until the event's window closes.
      return this.settle(event, owner, null, `refused: ${e.message}`, settleBy)
    }
    let status: number | null = null
    let error: string | null = null
    try {
      const signature = await signWebhook(event.payload, await this.deps.signingKey(), { projectId: event.project_id, at: this.deps.clock.now() })
      status = await postWebhook({
        target,
        body: event.payload,
        headers: { 'content-type': 'application/json', 'user-agent': 'Tessera-Webhooks/1', [SIGNATURE_HEADER]: signature, 'tessera-event-id': event.id },
        signal: AbortSignal.any([this.#shutdown.signal, AbortSignal.timeout(this.#options.timeoutMs)]),
      })
    } catch (e) {
      if (this.#shutdown.signal.aborted) {
        await releaseClaim(this.deps.db, event.id, owner)
        return null
      }
      error = describeFailure(e)
    }
    return this.settle(event, owner, status, error, settleBy)
  }

  /** Runs a write, again and again while the database is unavailable, until `by` (performance.now()) or shutdown. */
  private async persist<T>(write: () => Promise<T>, by: number): Promise<T> {
    for (let wait: number = SETTLE_RETRY.firstWaitMs; ; wait = Math.min(wait * 2, SETTLE_RETRY.maxWaitMs)) {
      try {
        return await write()
      } catch (error) {
        if (!unavailableFrom(error) || !this.#started || performance.now() + wait > by) throw error
        try {
          await sleep(wait, undefined, { signal: this.#shutdown.signal })
        } catch {
          throw error
        }
      }
    }
  }

  private async settle(event: ClaimedEvent, owner: string, status: number | null, error: string | null, settleBy: number): Promise<Exclude<keyof DispatchReport, 'claimed'> | null> {
    const at = this.deps.clock.now()
    const attempt = { last_attempt_at: at.toISOString(), last_response_status: status }
    let outcome: DeliveryOutcome
    let result: 'delivered' | 'retrying' | 'failed'
    if (status !== null && status >= 200 && status < 300) {
      outcome = { ...attempt, delivery_status: 'delivered', delivered_at: at.toISOString(), next_attempt_at: null, last_error: null }
      result = 'delivered'
    } else {
      const next = nextAttemptAt(at, event.attempts, new Date(event.deliver_until), this.#random, this.#options.retry)
      outcome = { ...attempt, delivery_status: next ? 'pending' : 'failed', next_attempt_at: next?.toISOString() ?? null, last_error: error ?? `HTTP ${status}` }
      result = next ? 'retrying' : 'failed'
      this.deps.logger.warn({ event_id: event.id, attempts: event.attempts, status, error, next_attempt_at: outcome.next_attempt_at }, 'webhook delivery failed')
    }
    // A claim that outlived its lease lost the event to another claim, which settles it instead.
    return (await this.persist(() => settleDelivery(this.deps.db, event.id, owner, outcome), settleBy)) ? result : null
  }
}
