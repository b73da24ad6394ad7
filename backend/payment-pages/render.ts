// The hosted payment page's HTML: the merchant's name, the amount in the page's language, and
// either the slot the page's script fills (saved cards, card inputs) or why the page takes no
// card. No inline script or style: what the script needs rides in data- attributes.
import { LOCALES, resolveLocale, type Locale } from '../../widget/protocol.js'
import { formatAmount, PAGE_TEXTS, type PageTexts } from '../../widget/pay/texts.js'
import type { OpenedPage } from './service.js'

/** The page's script and stylesheet (content-hashed names, SRI hashes), from the build. */
export interface PageAssets {
  js: string
  jsIntegrity: string
  css: string
  cssIntegrity: string
}

export const ASSET_PATH = '/pay/assets/'

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string)

/** The page's language: the merchant's `locale`, else the shopper's first Accept-Language tag. */
export function pageLocale(configured: string | null, acceptLanguage: string | undefined): Locale {
  if (configured !== null && (LOCALES as readonly string[]).includes(configured)) return configured as Locale
  return resolveLocale(acceptLanguage?.split(',')[0]?.split(';')[0]?.trim())
}

function document(locale: Locale, title: string, assets: PageAssets, body: string, data: Record<string, string> = {}): string {
  const attributes = Object.entries(data).map(([name, value]) => ` data-${name}="${escapeHtml(value)}"`).join('')
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${ASSET_PATH}${assets.css}" integrity="${assets.cssIntegrity}">
${data.secret ? `<script type="module" src="${ASSET_PATH}${assets.js}" integrity="${assets.jsIntegrity}"></script>\n` : ''}</head>
<body${attributes}>
<main class="pay">
${body}
</main>
</body>
</html>
`
}

function heading(opened: OpenedPage, texts: PageTexts, locale: Locale): { title: string; amount: string | null } {
  const { page } = opened
  if (page.page_mode === 'tokenize' || page.amount === null || page.currency === null) return { title: texts.saveTitle, amount: null }
  const amount = formatAmount(page.amount, page.currency, locale)
  return { title: texts.pay(amount), amount }
}

const merchantLine = (name: string) => `<p class="merchant">${escapeHtml(name)}</p>`

/** An open page: the script builds the saved cards and card inputs into #card-slot. */
export function renderOpenPage(opened: OpenedPage, locale: Locale, assets: PageAssets): string {
  const texts = PAGE_TEXTS[locale]
  const { page, merchantName } = opened
  const { title, amount } = heading(opened, texts, locale)
  const button = amount === null ? texts.saveButton : texts.pay(amount)
  const parts = [
    `<header class="head">${merchantLine(merchantName)}<h1>${escapeHtml(title)}</h1></header>`,
    page.mode === 'test' ? `<p class="test-mode">${escapeHtml(texts.testMode)}</p>` : '',
    page.save_card === 1 ? `<p class="notice">${escapeHtml(texts.saveNotice(merchantName))}</p>` : '',
    '<div id="card-slot" class="slot"></div>',
    `<p id="page-error" class="page-error" role="alert">${opened.declined ? escapeHtml(texts.errors.declined) : ''}</p>`,
    `<button type="button" id="submit" class="submit" disabled>${escapeHtml(button)}</button>`,
    '<p id="page-status" class="page-status" role="status"></p>',
    `<p class="secured">${escapeHtml(texts.secured)}</p>`,
    opened.cancelTo === null ? '' : `<p class="cancel"><a href="${escapeHtml(opened.cancelTo)}">${escapeHtml(texts.cancel(merchantName))}</a></p>`,
  ]
  const saved = opened.savedCards.map((c) => ({ token: c.token, card: { brand: c.brand, last4: c.last4, exp_month: c.exp_month, exp_year: c.exp_year } }))
  return document(locale, `${title} · ${merchantName}`, assets, parts.filter(Boolean).join('\n'), {
    page: page.id,
    secret: opened.secret ?? '',
    locale,
    'saved-cards': JSON.stringify(saved),
  })
}

/** A try waiting for 3-D Secure: the bank's challenge framed in the page, which asks the vault how it ended. */
export function renderChallengePage(opened: OpenedPage, locale: Locale, assets: PageAssets): string {
  const texts = PAGE_TEXTS[locale]
  const { title } = heading(opened, texts, locale)
  const parts = [
    `<header class="head">${merchantLine(opened.merchantName)}<h1>${escapeHtml(title)}</h1></header>`,
    `<p class="notice">${escapeHtml(texts.challenge.intro)}</p>`,
    `<iframe id="challenge" class="challenge" src="${escapeHtml(opened.challengeUrl ?? '')}" title="${escapeHtml(texts.challenge.frameTitle)}"></iframe>`,
    `<p id="page-status" class="page-status" role="status">${escapeHtml(texts.challenge.waiting)}</p>`,
  ]
  return document(locale, `${title} · ${opened.merchantName}`, assets, parts.join('\n'), { page: opened.page.id, secret: opened.secret ?? '', locale, state: 'challenge' })
}

/** A page that takes no card (used, failed, expired, unknown): what happened and the way back. */
export function renderClosedPage(state: keyof PageTexts['states'], locale: Locale, assets: PageAssets, opened?: OpenedPage): string {
  const texts = PAGE_TEXTS[locale]
  const { title, text } = texts.states[state]
  const back = opened ? (state === 'expired' ? (opened.cancelTo ?? opened.returnTo) : opened.returnTo) : null
  const parts = [
    `<header class="head">${opened ? merchantLine(opened.merchantName) : ''}<h1>${escapeHtml(title)}</h1></header>`,
    `<p class="state">${escapeHtml(text)}</p>`,
    back && opened ? `<p class="back"><a class="button-link" href="${escapeHtml(back)}">${escapeHtml(texts.back(opened.merchantName))}</a></p>` : '',
  ]
  return document(locale, opened ? `${title} · ${opened.merchantName}` : title, assets, parts.filter(Boolean).join('\n'))
}
