// Small shared pieces of the shop's server-rendered HTML (hono/html escapes every value).
import { html } from 'hono/html'
import { formatMoney } from '../catalog.js'
import { CSRF_FIELD } from '../security.js'
import type { ShopSession } from '../env.js'
import type { MaskedCard } from '../vault-client.js'

export { html, raw } from 'hono/html'
export type Html = ReturnType<typeof html>

const BRAND_NAMES: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  'american-express': 'American Express',
  discover: 'Discover',
  jcb: 'JCB',
  'diners-club': 'Diners Club',
  unionpay: 'UnionPay',
  maestro: 'Maestro',
}

export const brandName = (brand: string): string => BRAND_NAMES[brand] ?? brand

export const expiry = (card: Pick<MaskedCard, 'exp_month' | 'exp_year'>): string => `${String(card.exp_month).padStart(2, '0')}/${String(card.exp_year).slice(-2)}`

export const cardLabel = (card: MaskedCard): string => `${brandName(card.brand)} •••• ${card.last4}`

export const money = formatMoney

export const csrfField = (session: ShopSession): Html => html`<input type="hidden" name="${CSRF_FIELD}" value="${session.csrfToken}">`

/** `HH:MM:SS UTC`, for lists of things that happened moments ago. */
export const timeOnly = (iso: string): string => `${iso.slice(11, 19)} UTC`

export const dateTime = (iso: string | null | undefined): string => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC') : '—')

/** A status word as a coloured badge. */
export const badge = (text: string, tone: 'good' | 'bad' | 'warn' | 'neutral' = 'neutral'): Html => html`<span class="badge badge-${tone}">${text}</span>`

export const tokenStatusBadge = (status: string): Html => badge(status, status === 'active' ? 'good' : status === 'revoked' || status === 'invalid' ? 'bad' : 'warn')
