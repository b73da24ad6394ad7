// Payment page routes: create and read (secret key), and the one call the page's own browser
// code makes (the page secret in `Tessera-Page-Secret`, from the vault's own origin only).
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import * as v from 'valibot'
import { AuthenticationError, InvalidRequestError, PermissionError } from '../errors.js'
import type { PaymentPages, PageInput } from '../payment-pages/service.js'
import type { Mode } from '../store/schema.js'
import { LOCALES } from '../../widget/protocol.js'
import type { AppEnv } from './env.js'
import { ownOrigin } from './middleware/auth.js'
import { amount, currency, tokenValue } from './payments.js'
import { identifier, jweString, parseInput } from './validation.js'

export interface PaymentPageRouteDeps {
  pages: PaymentPages
  secretKey: MiddlewareHandler<AppEnv>
  publicOrigin?: string | undefined
}

export const PAGE_SECRET_HEADER = 'Tessera-Page-Secret'

const MAX_URL_LENGTH = 2048

/** An absolute http(s) URL without credentials; whether http is allowed depends on the mode. */
const absoluteUrl = v.pipe(
  v.string(),
  v.maxLength(MAX_URL_LENGTH),
  v.check((s) => {
    if (!URL.canParse(s)) return false
    const url = new URL(s)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === ''
  }, 'an absolute http(s) URL'),
)

export const paymentPageBody = v.strictObject({
  mode: v.picklist(['tokenize', 'purchase']),
  customer_id: v.optional(identifier),
  amount: v.optional(amount),
  currency: v.optional(currency),
  capture: v.optional(v.boolean()),
  save_card: v.optional(v.boolean()),
  locale: v.optional(v.picklist(LOCALES)),
  return_url: absoluteUrl,
  cancel_url: v.optional(absoluteUrl),
})

export const pageAttemptBody = v.strictObject({ card: v.optional(jweString), token: v.optional(tokenValue) })

type PageBody = v.InferOutput<typeof paymentPageBody>

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** What the schema cannot say: fields by mode, and https for live pages (loopback apart, as for origins). */
function checkPage(body: PageBody, mode: Mode): void {
  if (body.mode === 'purchase') {
    if (body.amount === undefined) throw new InvalidRequestError('parameter_missing', 'A purchase page needs `amount`.', 'amount')
    if (body.currency === undefined) throw new InvalidRequestError('parameter_missing', 'A purchase page needs `currency`.', 'currency')
  } else {
    for (const field of ['amount', 'currency', 'capture', 'save_card'] as const) {
      if (body[field] !== undefined) throw new InvalidRequestError('parameter_invalid', `\`${field}\` goes with a purchase page; a tokenize page only saves the card.`, field)
    }
  }
  if (mode !== 'live') return
  for (const field of ['return_url', 'cancel_url'] as const) {
    const value = body[field]
    if (value === undefined) continue
    const url = new URL(value)
    if (url.protocol !== 'https:' && !LOOPBACK_HOSTS.has(url.hostname)) throw new InvalidRequestError('parameter_invalid', `\`${field}\` must be an https:// URL in live mode.`, field)
  }
}

export function paymentPageRoutes(deps: PaymentPageRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const origin = (url: string) => ownOrigin(url, deps.publicOrigin)

  app.post('/payment-pages', deps.secretKey, async (c) => {
    const body = parseInput(paymentPageBody, c.get('body'))
    checkPage(body, c.get('principal').mode)
    const input: PageInput = { mode: body.mode, customerId: body.customer_id, amount: body.amount, currency: body.currency, capture: body.capture, saveCard: body.save_card, locale: body.locale, returnUrl: body.return_url, cancelUrl: body.cancel_url }
    return c.json(await deps.pages.create(c.get('principal'), input, origin(c.req.url)), 201)
  })

  app.get('/payment-pages/:id', deps.secretKey, async (c) => c.json(await deps.pages.read(c.get('principal'), c.req.param('id'), origin(c.req.url))))

  /** The page secret of a call from the page itself (same origin) or from no browser at all. */
  const pageSecret = (c: Context<AppEnv>): string => {
    const from = c.req.header('origin')
    if (from !== undefined && from !== origin(c.req.url)) throw new PermissionError('origin_not_allowed', 'Only the payment page itself makes this call.')
    const secret = c.req.header(PAGE_SECRET_HEADER)
    if (!secret) throw new AuthenticationError('missing_page_secret', `Send the page secret in ${PAGE_SECRET_HEADER}.`)
    return secret
  }

  app.post('/payment-pages/:id/attempts', async (c) => {
    const secret = pageSecret(c)
    const body = parseInput(pageAttemptBody, c.get('body'))
    if ((body.card === undefined) === (body.token === undefined)) throw new InvalidRequestError('parameter_invalid', 'Pass either `card` or `token`.', 'card')
    const source = body.card !== undefined ? { card: body.card } : { token: body.token as string }
    return c.json(await deps.pages.attempt(c.req.param('id'), secret, source, c.get('requestId'), origin(c.req.url)))
  })

  // The try waiting for 3-D Secure, asked again by the page until the acquirer's result is in.
  app.get('/payment-pages/:id/attempts/current', async (c) => c.json(await deps.pages.current(c.req.param('id'), pageSecret(c), origin(c.req.url))))

  return app
}
