// The vault's 3-D Secure page (GET /three-d-secure/:id), framed by the element's dialog. It
// frames the acquirer's challenge (the server put it in the page), reads the payment's status
// from the vault with the publishable key and the client secret (both in the URL fragment,
// which never reaches a server or a log), and tells the merchant's page once it is final.
import type { ChallengePageMessage } from './messages.js'

const POLL_MS = 1_000
/** The payment is canceled by then anyway (15 minutes), so polling stops. */
const GIVE_UP_MS = 16 * 60_000

const params = new URLSearchParams(location.hash.slice(1))
// The secret is not needed in the address any more: out of the history entry with it.
history.replaceState(null, '', location.pathname + location.search)
const key = params.get('key') ?? ''
const secret = params.get('secret') ?? ''
const parentOrigin = params.get('origin')
const paymentId = location.pathname.split('/').pop() ?? ''
const status = document.getElementById('status') as HTMLElement
const started = Date.now()

type Unsent<M> = M extends unknown ? Omit<M, 'tessera3ds'> : never

function post(message: Unsent<ChallengePageMessage>): void {
  // Only to the origin the element named; the browser drops it for any other parent.
  if (parentOrigin && window.parent !== window) window.parent.postMessage({ tessera3ds: 1, ...message }, parentOrigin)
}

async function poll(): Promise<void> {
  try {
    const response = await fetch(`/v1/payments/${encodeURIComponent(paymentId)}`, { headers: { Authorization: `Bearer ${key}`, 'Tessera-Payment-Secret': secret }, cache: 'no-store' })
    const body = await response.json()
    if (response.ok && body.status !== 'requires_action') {
      status.textContent = status.dataset.done ?? ''
      post({ type: 'result', result: body.decline_code ? { status: body.status, decline_code: body.decline_code } : { status: body.status } })
      return
    }
    if (!response.ok && response.status !== 429 && response.status < 500) return post({ type: 'error', code: body?.error?.code ?? 'unknown_error' })
  } catch {
    // The network blinked: try again at the next tick.
  }
  if (Date.now() - started < GIVE_UP_MS) setTimeout(poll, POLL_MS)
}

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') post({ type: 'cancel' })
})
post({ type: 'ready' })
void poll()
