// Your checkout page: <tessera-card publishable-key="pk_test_..."></tessera-card> in the HTML,
// and this script. loadTessera() rejects with code `loader_unavailable` when the vault's loader
// cannot load (wrong vaultUrl, vault down, a CSP that blocks it).
import { loadTessera, TesseraLoadError } from '@tessera/card'

export async function setUpCheckout(vaultUrl: string): Promise<void> {
  const pay = document.querySelector<HTMLButtonElement>('#pay')!
  try {
    await loadTessera({ vaultUrl })
  } catch (error) {
    if (error instanceof TesseraLoadError) pay.textContent = 'Card payments are unavailable right now.'
    throw error
  }
  const card = document.querySelector('tessera-card')! // typed: TesseraCard
  card.addEventListener('tessera-change', (event) => {
    pay.disabled = !event.detail.complete // typed: the element's change detail
  })
  card.addEventListener('tessera-error', (event) => console.warn(event.detail.code))
  pay.addEventListener('click', async () => {
    const { token, card: masked } = await card.tokenize()
    await fetch('/pay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) })
    pay.textContent = `Paid with ${masked.brand} •••• ${masked.last4}`
  })
}
