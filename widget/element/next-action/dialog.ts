// handleNextAction's body, loaded from the vault on first use (a chunk of its own, outside the
// loader's budget): a modal dialog on the merchant's page that frames the vault's 3-D Secure
// page, keeps focus inside (a native modal <dialog>), cancels on Escape, and settles with the
// outcome the vault's page reports (origin and window checked).
import type { Locale } from '../../protocol.js'
import { parseChallengePageMessage, type NextActionResult } from '../../three-d-secure/messages.js'
import { THREE_D_SECURE_TEXTS, type ThreeDSecureTexts } from '../../three-d-secure/texts.js'
import { frameUnavailable, TesseraElementError } from '../errors.js'

export type { NextActionResult }

/** What POST /v1/payments answers in `next_action` for a payment in requires_action. */
export interface NextAction {
  type: 'three_d_secure'
  url: string
  client_secret: string
}

export interface RunOptions {
  nextAction: unknown
  publishableKey: string
  locale: Locale
  vaultOrigin: string
  /** How long the vault's page may take to say it is there. */
  readyTimeoutMs?: number
}

const READY_TIMEOUT_MS = 10_000

const STYLES = `
:host { all: initial; }
dialog { box-sizing: border-box; width: min(500px, calc(100vw - 16px)); max-width: none; max-height: calc(100vh - 16px); padding: 0; border: 0; border-radius: 12px; background: #fff; color: #111827; font: 16px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; box-shadow: 0 20px 50px rgb(0 0 0 / 0.35); overflow: hidden; }
dialog[open] { display: flex; flex-direction: column; }
dialog::backdrop { background: rgb(17 24 39 / 0.6); }
header { display: flex; align-items: flex-start; justify-content: space-between; gap: 12px; padding: 12px 12px 12px 16px; border-bottom: 1px solid #e5e7eb; }
h2 { margin: 0; font-size: 1.125rem; }
p { margin: 2px 0 0; font-size: 0.875rem; color: #4b5563; }
button { flex: none; min-height: 44px; padding: 0 14px; border: 1px solid #6b7280; border-radius: 8px; background: #fff; color: #111827; font: inherit; cursor: pointer; }
button:focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }
iframe { display: block; flex: 1 1 auto; width: 100%; height: min(560px, calc(100vh - 110px)); border: 0; }
`

let open = false

const invalid = (message: string) => new TesseraElementError({ type: 'invalid_request_error', code: 'next_action_invalid', message, param: 'next_action' })

/** Only the vault's own 3-D Secure page may be framed, and only it gets the secret. */
function check(nextAction: unknown, vaultOrigin: string): NextAction {
  const n = nextAction as Partial<NextAction> | null
  if (!n || n.type !== 'three_d_secure' || typeof n.url !== 'string' || typeof n.client_secret !== 'string') {
    throw invalid('Pass the next_action object the vault answered ({type: "three_d_secure", url, client_secret}).')
  }
  let url: URL
  try {
    url = new URL(n.url)
  } catch {
    throw invalid('next_action.url is not a URL.')
  }
  if (url.origin !== vaultOrigin || !/^\/three-d-secure\/pay_[0-9a-f]{24}$/.test(url.pathname)) throw invalid("next_action.url is not this vault's 3-D Secure page.")
  return { type: 'three_d_secure', url: url.origin + url.pathname, client_secret: n.client_secret }
}

function build(texts: ThreeDSecureTexts, src: string) {
  const host = document.createElement('tessera-three-d-secure')
  const root = host.attachShadow({ mode: 'open' })
  const sheet = new CSSStyleSheet()
  // A constructed stylesheet: a strict CSP on the merchant's page does not block it.
  sheet.replaceSync(STYLES)
  root.adoptedStyleSheets = [sheet]
  const dialog = document.createElement('dialog')
  dialog.setAttribute('aria-labelledby', 'title')
  dialog.setAttribute('aria-describedby', 'intro')
  const header = document.createElement('header')
  const heading = document.createElement('div')
  const title = Object.assign(document.createElement('h2'), { id: 'title', textContent: texts.title })
  const intro = Object.assign(document.createElement('p'), { id: 'intro', textContent: texts.intro })
  const cancel = Object.assign(document.createElement('button'), { type: 'button', textContent: texts.cancel })
  const iframe = Object.assign(document.createElement('iframe'), { title: texts.frameTitle, src })
  heading.append(title, intro)
  header.append(heading, cancel)
  // A modal dialog lets Tab leave for the browser's own UI after its last element: these two
  // send focus round to the other end instead, so it stays in the dialog.
  const wrap = (to: () => void) => {
    const sentinel = Object.assign(document.createElement('span'), { tabIndex: 0 })
    sentinel.addEventListener('focus', to)
    return sentinel
  }
  dialog.append(wrap(() => iframe.focus()), header, iframe, wrap(() => cancel.focus()))
  root.append(dialog)
  return { host, dialog, cancel, iframe }
}

export function runThreeDSecure(options: RunOptions): Promise<NextActionResult> {
  const nextAction = check(options.nextAction, options.vaultOrigin)
  if (open) return Promise.reject(new TesseraElementError({ type: 'invalid_request_error', code: 'next_action_in_progress', message: 'A 3-D Secure dialog is already open.' }))
  const texts = THREE_D_SECURE_TEXTS[options.locale]
  const fragment = new URLSearchParams({ key: options.publishableKey, secret: nextAction.client_secret, origin: location.origin })
  const { host, dialog, cancel, iframe } = build(texts, `${nextAction.url}?locale=${options.locale}#${fragment}`)
  const previousFocus = document.activeElement as HTMLElement | null
  open = true

  return new Promise<NextActionResult>((resolve, reject) => {
    let settled = false
    const finish = (outcome: () => void) => {
      if (settled) return
      settled = true
      open = false
      clearTimeout(readyTimer)
      window.removeEventListener('message', onMessage)
      dialog.close()
      host.remove()
      if (previousFocus?.isConnected) previousFocus.focus()
      outcome()
    }
    const canceled = () => finish(() => reject(new TesseraElementError({ type: 'card_error', code: 'authentication_canceled', message: 'The customer closed the 3-D Secure dialog.' })))
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== options.vaultOrigin || event.source !== iframe.contentWindow) return
      const message = parseChallengePageMessage(event.data)
      if (!message) return
      if (message.type === 'ready') clearTimeout(readyTimer)
      else if (message.type === 'cancel') canceled()
      else if (message.type === 'result') finish(() => resolve(message.result))
      else finish(() => reject(new TesseraElementError({ type: 'invalid_request_error', code: message.code, message: 'The vault refused to show this payment.' })))
    }
    const readyTimer = setTimeout(() => finish(() => reject(frameUnavailable('The 3-D Secure page did not load: check the allowed origins and that the vault is reachable.'))), options.readyTimeoutMs ?? READY_TIMEOUT_MS)
    window.addEventListener('message', onMessage)
    // Escape on the dialog itself (focus on the Cancel button or the dialog).
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault()
      canceled()
    })
    cancel.addEventListener('click', canceled)
    document.body.append(host)
    dialog.showModal()
    cancel.focus()
  })
}
