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
import { activeCustomerCard, activeCustomerCards, endPaymentPageAttempt, findPaymentPage, insertPaymentPage, lockPaymentPage, setPageSecret, type PageEnd, type SavedCardRow, type StoredPaymentPage } from '../store/payment-pages.js'
import type { Database, PaymentPageMode } from '../store/schema.js'
import type { Tokenizer } from '../tokens/tokenize.js'
import { backUrl, hashPageSecret, isPageId, MAX_DECLINES, newPageId, newPageSecret, PAGE_LIFETIME_MS, PAGE_SECRET_SHAPE, presentPage, statusOf, type PaymentPageObject, type PaymentPageStatusOut } from './page.js'

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
  /** Issued only while the page is open: the browser code sends it with its one call. */
  secret: string | null
  /** Where the page sends the shopper when it is over (return_url?payment_page=…). */
  returnTo: string
  cancelTo: string | null
}

/** What an attempt answers the page's browser code. */
export type AttemptResult = { status: 'completed' | 'failed'; redirect_url: string }

/** How long one attempt may hold the page (an acquirer call with its timeout fits well inside). */
const ATTEMPT_LOCK_MS = 2 * 60 * 1000

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
    const page = isPageId(id) ? await findPaymentPage(this.deps.db, id) : undefined
    if (!page || page.project_id !== principal.project.id || page.mode !== principal.mode) throw pageNotFound()
    const payment = page.payment_id === null ? undefined : await this.deps.payments.get(principal, 'payment', page.payment_id)
    return presentPage(page, origin, this.deps.clock.now(), payment)
  }

  /** The page for the shopper; a fresh secret when it is open (an older tab's secret stops working). */
  async open(id: string): Promise<OpenedPage | undefined> {
    const page = isPageId(id) ? await findPaymentPage(this.deps.db, id) : undefined
    if (!page) return undefined
    const project = await this.deps.projects.byId(page.project_id)
    if (!project) return undefined
    const status = statusOf(page, this.deps.clock.now())
    let secret: string | null = null
    let savedCards: SavedCardRow[] = []
    if (status === 'open') {
      secret = newPageSecret()
      await setPageSecret(this.deps.db, page.id, hashPageSecret(secret))
      if (page.page_mode === 'purchase' && page.customer_id !== null) savedCards = await activeCustomerCards(this.deps.db, page.project_id, page.mode, page.customer_id)
    }
    return {
      page,
      status,
      merchantName: displayName(project),
      savedCards,
      secret,
      returnTo: backUrl(page.return_url, page.id),
      cancelTo: page.cancel_url === null ? null : backUrl(page.cancel_url, page.id),
    }
  }

  /**
   * One try at paying (or saving) through the page. A decline leaves the page open for another
   * card until the third; any other refusal (a bad card, a test card in live mode) changes nothing.
   */
  async attempt(id: string, secret: string, source: PageSource, requestId: string, origin: string): Promise<AttemptResult> {
    const page = isPageId(id) ? await findPaymentPage(this.deps.db, id) : undefined
    if (!page) throw pageNotFound()
    const now = this.deps.clock.now()
    const status = statusOf(page, now)
    if (status !== 'open') throw new ConflictError(`payment_page_${status}`, `This payment page is ${status}.`)
    if (!PAGE_SECRET_SHAPE.test(secret) || page.secret_hash !== hashPageSecret(secret)) {
      throw new AuthenticationError('invalid_page_secret', 'This payment page was opened again in another window; reload it to continue.')
    }
    const project = await this.deps.projects.byId(page.project_id)
    if (!project) throw pageNotFound()
    const until = new Date(now.getTime() + ATTEMPT_LOCK_MS).toISOString()
    if (!(await lockPaymentPage(this.deps.db, page.id, page.secret_hash, now.toISOString(), until))) {
      throw new ConflictError('payment_page_busy', 'A payment on this page is already under way.')
    }
    const principal: Principal = { keyId: page.key_id, kind: 'secret', mode: page.mode, project }
    const actor = { kind: 'key' as const, keyId: page.key_id, requestId }
    let end: PageEnd = { status: 'open', declines: page.declines, token: null, payment_id: null, completed_at: null }
    try {
      const done = await this.run(principal, page, source, actor)
      end = { status: 'completed', declines: page.declines, token: done.token, payment_id: done.payment?.id ?? null, completed_at: this.deps.clock.now().toISOString() }
    } catch (error) {
      if (!isDecline(error)) throw error
      const declines = page.declines + 1
      const paymentId = (error as Partial<PaymentDeclinedError>).paymentId ?? null
      end = declines >= MAX_DECLINES
        ? { status: 'failed', declines, token: null, payment_id: paymentId, completed_at: this.deps.clock.now().toISOString() }
        : { status: 'open', declines, token: null, payment_id: paymentId, completed_at: null }
      if (end.status === 'open') throw error
    } finally {
      await this.finish(principal, page, end, origin)
    }
    return { status: end.status as 'completed' | 'failed', redirect_url: backUrl(page.return_url, page.id) }
  }

  /** Pays or tokenizes as the page asks; the payment code audits and announces its own part. */
  private async run(principal: Principal, page: StoredPaymentPage, source: PageSource, actor: { kind: 'key'; keyId: string; requestId: string }): Promise<{ token: string | null; payment?: PaymentObject }> {
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
    const meta = { actor, idempotencyKey, requestHash: crypto.createHash('sha256').update(idempotencyKey).digest('hex') }
    const common = { amount: page.amount as number, currency: page.currency as string, capture: page.capture === 1, initiator: 'customer' as const }
    const payment = 'token' in source
      ? await this.deps.payments.pay(principal, { ...common, token: source.token }, meta)
      : await this.deps.payments.pay(principal, { ...common, card: source.card, saveCard: page.save_card === 1 ? true : undefined, customerId: page.save_card === 1 ? customerId : undefined }, meta)
    return { token: page.save_card === 1 || 'token' in source ? payment.token : null, payment }
  }

  /** Ends the attempt: the page's new state, and for a completed page its event, in one transaction. */
  private async finish(principal: Principal, page: StoredPaymentPage, end: PageEnd, origin: string): Promise<void> {
    // Read before the transaction: on SQLite a read outside it would wait for its connection.
    const payment = end.status === 'completed' && end.payment_id !== null ? await this.deps.payments.get(principal, 'payment', end.payment_id) : undefined
    await this.deps.db.transaction().execute(async (trx) => {
      await endPaymentPageAttempt(trx, page.id, end)
      if (end.status !== 'completed') return
      const at = this.deps.clock.now()
      const object = presentPage({ ...page, ...end, locked_until: null }, origin, at, payment)
      await this.deps.events.append(trx, { projectId: page.project_id, mode: page.mode, type: 'payment_page.completed', object, at })
    })
  }
}

const isDecline = (error: unknown) => error instanceof TesseraError && error.code === 'card_declined'

/** The name shoppers see: the project's display name when it has one. */
export function displayName(project: Project): string {
  return project.name
}
