// Helpers for the hosted payment page suites: create a page with the secret key, open it as a
// shopper's browser would (its HTML, and the page secret the vault put on it), send an attempt.
import { expect } from 'vitest'
import type { Api, ApiResponse } from '../../../helpers/api.js'

export const RETURN_URL = 'https://shop.example/orders/42/return?from=pay'
export const CANCEL_URL = 'https://shop.example/cart'

/** A real clock that a test can move forward (JWEs still carry the real time). */
export class OffsetClock {
  offsetMs = 0
  now(): Date {
    return new Date(Date.now() + this.offsetMs)
  }
}

export interface OpenedPage {
  status: number
  headers: Headers
  html: string
  /** The page secret from the page's data-secret attribute, or null when the page takes no card. */
  secret: string | null
  savedCards: { token: string; card: { brand: string; last4: string } }[]
}

export async function createPage(call: Api, key: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<any> {
  const res = await call('POST', '/v1/payment-pages', { key, body: { return_url: RETURN_URL, ...body }, headers })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body
}

const attribute = (html: string, name: string) => {
  const raw = new RegExp(`data-${name}="([^"]*)"`).exec(html)?.[1]
  return raw === undefined ? null : raw.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
}

export async function openPage(url: string, headers: Record<string, string> = {}): Promise<OpenedPage> {
  const res = await fetch(url, { headers })
  const html = await res.text()
  const secret = attribute(html, 'secret')
  return { status: res.status, headers: res.headers, html, secret: secret || null, savedCards: JSON.parse(attribute(html, 'saved-cards') ?? '[]') }
}

export function attempt(call: Api, pageId: string, secret: string | null, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return call('POST', `/v1/payment-pages/${pageId}/attempts`, { body, headers: { ...(secret === null ? {} : { 'tessera-page-secret': secret }), ...headers } })
}
