// Hosted payment pages: the merchant's server creates one (secret key), the shopper opens it on
// the vault's origin and pays or saves a card through it (authenticated by the page's own
// secret, never a project key), and the merchant's server reads how it ended. A page is used
// once: an attempt holds a lock, the first success ends it, and so do three declines.
import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Clock } from '../clock.js'
import { ConflictError, NotFoundError, TesseraError, AuthenticationError, InvalidRequestError } from '../errors.js'
import type { NewEvent } from '../events/outbox.js'
import type { PaymentObject } from '../payments/payment.js'
import type { PaymentDeclinedError } from '../payments/errors.js'
import type { PaymentService } from '../payments/service.js'
import type { Principal, Project } from '../projects/project.js'
import { activeCustomerCard, activeCustomerCards, endPaymentPageAttempt, findPaymentPage, holdPaymentPage, insertPaymentPage, lockPaymentPage, setPageSecret, type PageEnd, type SavedCardRow, type StoredPaymentPage } from '../store/payment-pages.js'
import type { Database, PaymentPageMode } from '../store/schema.js'
import type { Tokenizer } from '../tokens/tokenize.js'
import { endingOf, type TryResult } from './outcome.js'
import { backUrl, hashPageSecret, isPageId, newPageId, newPageSecret, PAGE_LIFETIME_MS, PAGE_SECRET_SHAPE, presentPage, statusOf, type PaymentPageObject, type PaymentPageStatusOut } from './page.js'

export interface PageEventSink {
  /** Appends one event inside `trx` (the outbox). */
  append(trx: Kysely<Database>, event: NewEvent): Promise<string>
}

export interface PaymentPageDeps {
  db: Kysely<Database>
  clock: Clock
  projects: { byId(id: string): Promise<Project | undefined> }
  payments: Pick<PaymentService, 'pay' | 'get'>
  tokenizer: Pick<Tokenizer, 'tokenize'>
  events: PageEventSink
  /** The acquirer's challenge page of a payment waiting for 3-D Secure, if there is one. */
  challengeUrl(paymentId: string): Promise<string | null>
}

export interface PageInput {
  mode: PaymentPageMode
  customerId?: string | undefined
  amount?: number | undefined
  currency?: string | undefined
  capture?: boolean | undefined
  saveCard?: boolean | undefined
  locale?: string | undefined
  returnUrl: string
  cancelUrl?: string | undefined
}

/** What the shopper's browser sends: a new card (JWE) or one of the customer's saved tokens. */
export type PageSource = { card: string } | { token: string }

/** The page as the shopper sees it when opening `/pay/:id`. */
export interface OpenedPage {
  page: StoredPaymentPage
  status: PaymentPageStatusOut
  merchantName: string
  savedCards: SavedCardRow[]
  /** The acquirer's 3-D Secure challenge while the page's try waits for the cardholder. */
  challengeUrl: string | null
  /** The page ended just now (a challenge finished): the shopper goes back to the shop. */
  justEnded: boolean
  /** The last try was declined: the page says so above the card field. */
  declined: boolean
  /** Issued only while the page is open: the browser code sends it with its one call. */
  secret: string | null
  /** Where the page sends the shopper when it is over (return_url?payment_page=…). */
  returnTo: string
  cancelTo: string | null
}

/** What an attempt answers the page's browser code: go back, wait for 3-D Secure, or try again. */
export type AttemptResult = { status: 'completed' | 'failed'; redirect_url: string } | { status: 'requires_action' } | { status: 'open'; payment?: string }

/** How long one attempt may hold the page (an acquirer call with its timeout fits well inside). */
const ATTEMPT_LOCK_MS = 2 * 60 * 1000
/** A try waiting for 3-D Secure holds the page a little longer than the payment may wait (15 minutes). */
const CHALLENGE_LOCK_MS = 16 * 60 * 1000

const pageNotFound = () => new NotFoundError('payment_page_not_found', 'No such payment page.', 'id')

export class PaymentPages {
  constructor(private readonly deps: PaymentPageDeps) {}

  async create(principal: Principal, input: PageInput, origin: string): Promise<PaymentPageObject> {
    const now = this.deps.clock.now()
    const purchase = input.mode === 'purchase'
    const row = {
      id: newPageId(),
      project_id: principal.project.id,
      mode: principal.mode,
      key_id: principal.keyId,
      page_mode: input.mode,
      status: 'open' as const,
      customer_id: input.customerId ?? null,
      amount: purchase ? (input.amount ?? null) : null,
      currency: purchase ? (input.currency ?? null) : null,
      capture: purchase && input.capture !== false ? 1 : 0,
      // A tokenize page saves by definition; a purchase saves when asked.
      save_card: input.mode === 'tokenize' || input.saveCard === true ? 1 : 0,
      locale: input.locale ?? null,
      return_url: input.returnUrl,
      cancel_url: input.cancelUrl ?? null,
      secret_hash: null,
      locked_until: null,
      declines: 0,
      token: null,
      payment_id: null,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + PAGE_LIFETIME_MS).toISOString(),
      completed_at: null,
    }
    await insertPaymentPage(this.deps.db, row)
    return presentPage({ ...row }, origin, now)
  }

  async read(principal: Principal, id: string, origin: string): Promise<PaymentPageObject> {
    const found = isPageId(id) ? await findPaymentPage(this.deps.db, id) : undefined
    if (!found || found.project_id !== principal.project.id || found.mode !== principal.mode) throw pageNotFound()
    // A 3-D Secure result may have reached the vault while nobody had the page open.
    const page = await this.settled(principal, found, origin)
    const payment = page.payment_id === null ? undefined : await this.deps.payments.get(principal, 'payment', page.payment_id)
    return presentPage(page, origin, this.deps.clock.now(), payment)
  }

  /**
   * The page for the shopper; a fresh secret when it is open (an older tab's secret stops
   * working). A try decided since the shopper left (3-D Secure) is ended first.
   */
  async open(id: string, origin: string): Promise<OpenedPage | undefined> {
    const found = isPageId(id) ? await findPaymentPage(this.deps.db, id) : undefined
    const project = found && (await this.deps.projects.byId(found.project_id))
    if (!found || !project) return undefined
    const principal: Principal = { keyId: found.key_id, kind: 'secret', mode: found.mode, project }
    const page = await this.settled(principal, found, origin)
    const now = this.deps.clock.now()
    const status = statusOf(page, now)
    const waiting = status === 'open' && page.payment_id !== null && page.locked_until !== null && page.locked_until > now.toISOString()
    let secret: string | null = null
    let savedCards: SavedCardRow[] = []
    if (status === 'open') {
      secret = newPageSecret()
      await setPageSecret(this.deps.db, page.id, hashPageSecret(secret))
      if (!waiting && page.page_mode === 'purchase' && page.customer_id !== null) savedCards = await activeCustomerCards(this.deps.db, page.project_id, page.mode, page.customer_id)
    }
    return {
      page,
      status,
      merchantName: displayName(project),
      savedCards,
      secret,
      challengeUrl: waiting ? await this.deps.challengeUrl(page.payment_id as string) : null,
      justEnded: found.status === 'open' && page.status !== 'open',
      declined: status === 'open' && !waiting && page.declines > 0,
      returnTo: backUrl(page.return_url, page.id),
      cancelTo: page.cancel_url === null ? null : backUrl(page.cancel_url, page.id),
    }
  }

  /** The page after ending a try whose payment has been decided (it stays as it is otherwise). */
  private async settled(principal: Principal, page: StoredPaymentPage, origin: string): Promise<StoredPaymentPage> {
    if (page.status !== 'open' || page.payment_id === null || page.locked_until === null) return page
    const answer = await this.settle(principal, page, origin)
    return answer.status === 'requires_action' ? page : ((await findPaymentPage(this.deps.db, page.id)) ?? page)
  }

  /**
   * One try at paying (or saving) through the page. A decline leaves the page open for another
   * card until the third; any other refusal (a bad card, a test card in live mode) changes nothing.
   * A payment that needs 3-D Secure keeps the page's lock until the cardholder is done.
   */
  async attempt(id: string, secret: string, source: PageSource, requestId: string, origin: string): Promise<AttemptResult> {
    const { page, principal } = await this.authorized(id, secret)
    const now = this.deps.clock.now()
    const status = statusOf(page, now)
    if (status !== 'open') throw new ConflictError(`payment_page_${status}`, `This payment page is ${status}.`)
    const until = new Date(now.getTime() + ATTEMPT_LOCK_MS).toISOString()
    if (!(await lockPaymentPage(this.deps.db, page.id, page.secret_hash as string, now.toISOString(), until))) {
      throw new ConflictError('payment_page_busy', 'A payment on this page is already under way.')
    }
    const actor = { kind: 'key' as const, keyId: page.key_id, requestId }
    let result: TryResult
    let decline: unknown
    try {
      result = await this.run(principal, page, source, actor, origin)
    } catch (error) {
      if (!isDecline(error)) {
        await endPaymentPageAttempt(this.deps.db, page.id, { status: 'open', declines: page.declines, token: null, payment_id: page.payment_id, completed_at: null })
        throw error
      }
      decline = error
      result = { declined: (error as Partial<PaymentDeclinedError>).paymentId ?? null }
    }
    const answer = await this.conclude(principal, page, result, origin)
    // A decline that leaves the page open is the shopper's to see: the 402 the payment gave.
    if (decline !== undefined && answer.status === 'open') throw decline
    return answer
  }

  /**
   * The page's try waiting for 3-D Secure, asked again by the page's script: still waiting, or
   * how it ended (the acquirer's result reached the vault server to server meanwhile).
   */
  async current(id: string, secret: string, origin: string): Promise<AttemptResult> {
    const { page, principal } = await this.authorized(id, secret)
    return this.settle(principal, page, origin)
  }

  /** Ends a try whose payment has been decided since; answers where the page stands. */
  private async settle(principal: Principal, page: StoredPaymentPage, origin: string): Promise<AttemptResult> {
    if (page.status !== 'open') return { status: page.status, redirect_url: backUrl(page.return_url, page.id) }
    if (page.payment_id === null || page.locked_until === null) return { status: 'open' }
    const payment = await this.deps.payments.get(principal, 'payment', page.payment_id)
    return this.conclude(principal, page, { token: payment.token, payment }, origin)
  }

  private async conclude(principal: Principal, page: StoredPaymentPage, result: TryResult, origin: string): Promise<AttemptResult> {
    const ending = endingOf(page, result, this.deps.clock.now())
    if (ending.kind === 'pending') {
      // Held once per payment: the payment's own 15 minutes end the wait, not this lock.
      if (page.payment_id === ending.paymentId && page.locked_until !== null) return { status: 'requires_action' }
      const until = new Date(this.deps.clock.now().getTime() + CHALLENGE_LOCK_MS).toISOString()
      await holdPaymentPage(this.deps.db, page.id, ending.paymentId, until)
      return { status: 'requires_action' }
    }
    const wrote = await this.finish(principal, page, ending.end, origin)
    // Another request ended this try first: answer what it wrote.
    const ended = wrote ? ending.end : ((await findPaymentPage(this.deps.db, page.id)) ?? page)
    if (ended.status === 'open') return { status: 'open', ...(ended.payment_id ? { payment: ended.payment_id } : {}) }
    return { status: ended.status, redirect_url: backUrl(page.return_url, page.id) }
  }

  /** The page behind `id` with the current page secret, and the principal its payments act as. */
  private async authorized(id: string, secret: string): Promise<{ page: StoredPaymentPage; principal: Principal }> {
    const page = isPageId(id) ? await findPaymentPage(this.deps.db, id) : undefined
    if (!page) throw pageNotFound()
    if (!PAGE_SECRET_SHAPE.test(secret) || page.secret_hash !== hashPageSecret(secret)) {
      throw new AuthenticationError('invalid_page_secret', 'This payment page was opened again in another window; reload it to continue.')
    }
    const project = await this.deps.projects.byId(page.project_id)
    if (!project) throw pageNotFound()
    return { page, principal: { keyId: page.key_id, kind: 'secret', mode: page.mode, project } }
  }

  /** Pays or tokenizes as the page asks; the payment code audits and announces its own part. */
  private async run(principal: Principal, page: StoredPaymentPage, source: PageSource, actor: { kind: 'key'; keyId: string; requestId: string }, origin: string): Promise<TryResult> {
    const customerId = page.customer_id ?? undefined
    if ('token' in source) {
      // One-click: only a saved card of this page's customer, never any token of the project.
      if (page.page_mode !== 'purchase' || customerId === undefined || !(await activeCustomerCard(this.deps.db, page.project_id, page.mode, customerId, source.token))) {
        throw new InvalidRequestError('parameter_invalid', 'That saved card is not available on this page.', 'token')
      }
    }
    if (page.page_mode === 'tokenize') {
      if (!('card' in source)) throw new InvalidRequestError('parameter_missing', 'A tokenize page takes a new card.', 'card')
      const tokenized = await this.deps.tokenizer.tokenize(principal, { card: source.card, customerId }, actor)
      return { token: tokenized.row.token }
    }
    // One key per try (the decline count moves it on): a try retried after a crash or a timeout
    // answers the payment it made, and the acquirer replays its authorization, never a second charge.
    const idempotencyKey = `payment_page:${page.id}:${page.declines}`
    // The vault's origin: where the acquirer's 3-D Secure result is sent.
    const meta = { actor, idempotencyKey, requestHash: crypto.createHash('sha256').update(idempotencyKey).digest('hex'), vaultOrigin: origin }
    const common = { amount: page.amount as number, currency: page.currency as string, capture: page.capture === 1, initiator: 'customer' as const }
    const payment = 'token' in source
      ? await this.deps.payments.pay(principal, { ...common, token: source.token }, meta)
      : await this.deps.payments.pay(principal, { ...common, card: source.card, saveCard: page.save_card === 1 ? true : undefined, customerId: page.save_card === 1 ? customerId : undefined }, meta)
    return { token: payment.token, payment }
  }

  /** Ends the try: the page's new state, and for a completed page its event, in one transaction. */
  private async finish(principal: Principal, page: StoredPaymentPage, end: PageEnd, origin: string): Promise<boolean> {
    // Read before the transaction: on SQLite a read outside it would wait for its connection.
    const payment = end.status === 'completed' && end.payment_id !== null ? await this.deps.payments.get(principal, 'payment', end.payment_id) : undefined
    return this.deps.db.transaction().execute(async (trx) => {
      if (!(await endPaymentPageAttempt(trx, page.id, end))) return false
      if (end.status !== 'completed') return true
      const at = this.deps.clock.now()
      const object = presentPage({ ...page, ...end, locked_until: null }, origin, at, payment)
      await this.deps.events.append(trx, { projectId: page.project_id, mode: page.mode, type: 'payment_page.completed', object, at })
      return true
    })
  }
}

const isDecline = (error: unknown) => error instanceof TesseraError && error.code === 'card_declined'

/** The name shoppers see: the project's display name when it has one. */
export function displayName(project: Project): string {
  return project.displayName ?? project.name
}
