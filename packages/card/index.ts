// @tessera/card: loadTessera() and the types of <tessera-card>. The element's code is served by
// the vault (GET /v1/tessera.js, beside the frame it talks to), so element and frame always
// speak the same protocol version; this package loads it and says clearly when it cannot.
import type { TesseraCard } from '../../widget/element/tessera-card.js'
import type { TesseraElementError } from '../../widget/element/errors.js'
import type { ErrorCode } from '../../widget/protocol.js'

export type { TesseraCard } from '../../widget/element/tessera-card.js'
export type { TesseraElementError } from '../../widget/element/errors.js'
export type { NextAction, NextActionResult, TokenizeOptions, TokenizeResult } from '../../widget/element/tessera-card.js'
export type { TesseraCardEventMap, TesseraChangeDetail, TesseraErrorDetail, TesseraFocusDetail, TesseraNextActionDetail, TesseraReadyDetail } from '../../widget/element/events.js'
export type { CardState, ErrorCode, ErrorPayload, ErrorType, Field, FieldError, Locale, MaskedCard, StyleProperty } from '../../widget/protocol.js'

/** What the vault's loader module exports, once it has defined <tessera-card>. */
export interface TesseraModule {
  TesseraCard: typeof TesseraCard
  TesseraElementError: typeof TesseraElementError
  PROTOCOL_VERSION: number
}

export interface LoadTesseraOptions {
  /** The vault's base URL, e.g. `https://vault.example` (the loader is `<vaultUrl>/v1/tessera.js`). */
  vaultUrl: string
  /** How long to wait for the loader before rejecting (default 10 s, as the element's handshake). */
  timeoutMs?: number
}

export const LOAD_DEFAULTS = { timeoutMs: 10_000 } as const

/** Why loadTessera() rejected: `code` is `loader_unavailable`, one of the vault's error codes. */
export class TesseraLoadError extends Error {
  readonly type = 'api_error' as const
  readonly code: Extract<ErrorCode, 'loader_unavailable'> = 'loader_unavailable'
  readonly loaderUrl: string
  constructor(message: string, loaderUrl: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'TesseraLoadError'
    this.loaderUrl = loaderUrl
  }
}

const loads = new Map<string, Promise<TesseraModule>>()

/** The loader's URL under the vault's base URL (a base with a path keeps it). */
export function loaderUrl(vaultUrl: string): string {
  const base = new URL(vaultUrl)
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new TypeError('vaultUrl must be an http(s) URL')
  if (!base.pathname.endsWith('/')) base.pathname += '/'
  return new URL('v1/tessera.js', base).href
}

function withTimeout<T>(promise: Promise<T>, ms: number, url: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TesseraLoadError(`The Tessera loader did not load within ${ms} ms from ${url}.`, url)), ms)
    promise.then(resolve, reject).finally(() => clearTimeout(timer))
  })
}

async function load(url: string, timeoutMs: number): Promise<TesseraModule> {
  let module: Partial<TesseraModule>
  try {
    // A cross-origin module script: the vault serves it with Access-Control-Allow-Origin: *.
    module = (await withTimeout(import(/* @vite-ignore */ /* webpackIgnore: true */ url), timeoutMs, url)) as Partial<TesseraModule>
  } catch (cause) {
    if (cause instanceof TesseraLoadError) throw cause
    throw new TesseraLoadError(`The Tessera loader could not be loaded from ${url}: check vaultUrl, that the vault is up, and that your Content-Security-Policy's script-src allows it.`, url, { cause })
  }
  if (typeof module.TesseraCard !== 'function' || !customElements.get('tessera-card')) {
    throw new TesseraLoadError(`${url} is not a Tessera loader (it defined no <tessera-card>).`, url)
  }
  return module as TesseraModule
}

/**
 * Loads the vault's loader once per URL and resolves when <tessera-card> is defined; rejects with
 * a TesseraLoadError (code `loader_unavailable`) when it cannot, instead of a later
 * `tokenize is not a function`. A failed load is forgotten, so calling again retries.
 */
export function loadTessera(options: LoadTesseraOptions): Promise<TesseraModule> {
  let url: string
  try {
    url = loaderUrl(options.vaultUrl)
  } catch (cause) {
    return Promise.reject(new TesseraLoadError(`vaultUrl ${JSON.stringify(options.vaultUrl)} is not an http(s) URL.`, String(options.vaultUrl), { cause }))
  }
  if (typeof window === 'undefined' || typeof customElements === 'undefined') {
    return Promise.reject(new TesseraLoadError('loadTessera() runs in a browser: call it on the client, not during server rendering.', url))
  }
  let pending = loads.get(url)
  if (!pending) {
    pending = load(url, options.timeoutMs ?? LOAD_DEFAULTS.timeoutMs)
    pending.catch(() => loads.delete(url))
    loads.set(url, pending)
  }
  return pending
}
