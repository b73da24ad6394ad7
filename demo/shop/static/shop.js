// Shared by every page: the customer switcher submits on change, and postJson() sends JSON with
// the page's CSRF token (from <meta name="csrf-token">).
const switcher = document.querySelector('select[data-autosubmit]')
if (switcher) {
  switcher.form.querySelector('button[type=submit]').classList.add('visually-hidden')
  switcher.addEventListener('change', () => switcher.form.requestSubmit())
}

/** POSTs `body` as JSON; resolves to { status, body } whatever the status. */
export async function postJson(path, body) {
  const csrf = document.querySelector('meta[name="csrf-token"]').content
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify(body), credentials: 'same-origin' })
  return { status: res.status, body: await res.json().catch(() => ({})) }
}

/** Builds an element with text children only: nothing from the network is parsed as HTML. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value)
  node.append(...children.filter((c) => c !== null && c !== undefined))
  return node
}

export const money = (minor, currency) => new Intl.NumberFormat('en-IE', { style: 'currency', currency }).format(minor / 100)

const BRANDS = { visa: 'Visa', mastercard: 'Mastercard', 'american-express': 'American Express', discover: 'Discover', jcb: 'JCB', 'diners-club': 'Diners Club', unionpay: 'UnionPay' }
export const cardLabel = (card) => `${BRANDS[card.brand] ?? card.brand} •••• ${card.last4}`

/** The message for a rejected tokenize() (a field's error also shows under that field, in the frame). */
export const tokenizeProblem = (error) => error?.message || 'The card field is not available.'
