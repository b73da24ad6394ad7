// The sandbox bank's 3-D Secure challenge page: one heading, what is being paid, and Complete
// and Fail buttons in a form that posts back to the sandbox. Works at 390 px; its only style is
// inline and allowed by hash, so the page runs under a CSP with no script at all.
import { createHash } from 'node:crypto'
import type { AuthenticationRecord } from './three-d-secure.js'

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1b1f24;background:#fff}
main{max-width:30rem;margin:0 auto;padding:1.25rem}
h1{font-size:1.25rem;margin:0 0 .75rem}
.bank{font-weight:600;color:#1d4ed8;margin:0 0 1rem}
.note{color:#4b5563;font-size:.9rem}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.25rem}
button{flex:1 1 8rem;min-height:2.75rem;font:inherit;font-weight:600;border-radius:.5rem;border:2px solid #1d4ed8;padding:.5rem 1rem;cursor:pointer}
.complete{background:#1d4ed8;color:#fff}
.fail{background:#fff;color:#b91c1c;border-color:#b91c1c}
button:focus-visible{outline:3px solid #111827;outline-offset:2px}
`

const csp = () =>
  `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; form-action 'self'; base-uri 'none'; frame-ancestors *`

const escape = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

function money(amount: number, currency: string): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(amount / 10 ** digits)
}

function document(title: string, main: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title><style>${STYLE}</style></head><body><main>${main}</main></body></html>`
}

export function challengePage(record: AuthenticationRecord): { body: string; csp: string } {
  const what = `${money(record.amount, record.currency)} with the ${record.card.brand === 'visa' ? 'Visa' : record.card.brand} card ending in ${record.card.last4}`
  const main = `<p class="bank">Sandbox Bank · 3-D Secure</p>
<h1>Confirm this payment</h1>
<p>Confirm the payment of ${escape(what)}.</p>
<p class="note">This is the sandbox acquirer's test challenge: no code is needed. Complete authenticates the cardholder; Fail refuses.</p>
<form method="post" class="actions">
<button type="submit" name="outcome" value="complete" class="complete">Complete</button>
<button type="submit" name="outcome" value="fail" class="fail">Fail</button>
</form>`
  return { body: document('Sandbox Bank: confirm the payment', main), csp: csp() }
}

export function finishedPage(record: AuthenticationRecord, notified: boolean): { body: string; csp: string } {
  const result = record.status === 'authenticated' ? 'You confirmed the payment.' : record.status === 'failed' ? 'The payment was not confirmed.' : `This verification is ${record.status}.`
  const main = `<p class="bank">Sandbox Bank · 3-D Secure</p>
<h1>Verification finished</h1>
<p role="status">${escape(result)}${notified ? '' : ' The merchant could not be told yet.'}</p>`
  return { body: document('Sandbox Bank: verification finished', main), csp: csp() }
}
