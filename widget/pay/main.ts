// The hosted payment page's script: builds the saved cards and the card inputs (the frame's own
// code: formatting, validation, JWE encryption) into the page the vault rendered, sends one
// attempt at a time, shows errors a shopper understands, and goes back to the shop when done.
import { resolveLocale, type Field } from '../protocol.js'
import { CardForm } from '../frame/card-form.js'
import { errorText } from '../frame/card-state.js'
import { buildPayload, encryptCard } from '../frame/encrypt.js'
import { buildForm } from '../frame/fields.js'
import { loadMessages } from '../frame/i18n/index.js'
import { buildSavedCards, type SavedCardsView } from '../frame/saved-cards.js'
import { VaultClient, VaultError, type SavedCard } from '../frame/vault-client.js'
import { currentAttempt, postAttempt, type AttemptAnswer } from './page-client.js'
import { PAGE_TEXTS } from './texts.js'

const data = document.body.dataset
const byId = (id: string) => document.getElementById(id) as HTMLElement
const POLL_MS = 1000

/** Vault codes that belong under one card field (the rest go to the page's error line). */
const FIELD_OF_CODE: Record<string, Field> = {
  invalid_number: 'number', unsupported_brand: 'number', test_card_required: 'number', live_card_required: 'number',
  invalid_expiry: 'expiry', expired_card: 'expiry', expiry_too_far: 'expiry', invalid_cvc: 'cvc',
}

async function start(pageId: string, secret: string): Promise<void> {
  const locale = resolveLocale(data.locale)
  const texts = PAGE_TEXTS[locale]
  const messages = await loadMessages(locale)
  const slot = byId('card-slot')
  const button = byId('submit') as HTMLButtonElement
  const errorLine = byId('page-error')
  const statusLine = byId('page-status')
  const label = button.textContent ?? ''
  // Only the JWKS is fetched with this client: the page's attempt carries no API key.
  const keys = new VaultClient('')

  const view = buildForm()
  // A message above the button (the vault's, or a decline shown after a reload) stays until the shopper edits the card.
  const form = new CardForm(view, messages, { now: () => new Date(), onChange: (_state, edited) => edited && (errorLine.textContent = '') })
  let saved: SavedCardsView | null = null
  const cards = JSON.parse(data.savedCards ?? '[]') as SavedCard[]
  if (cards.length > 0) {
    saved = buildSavedCards(cards, messages, (card) => (view.form.hidden = card !== null))
    slot.append(saved.element)
    view.form.hidden = true
  }
  slot.append(view.form)
  // The first render labels the brand mark, as the frame's controller does.
  form.render(false)

  const setBusy = (busy: boolean) => {
    button.disabled = busy
    button.textContent = busy ? texts.processing : label
    button.setAttribute('aria-busy', String(busy))
    saved?.setDisabled(busy)
    for (const field of Object.values(view.fields)) field.input.disabled = busy
  }

  const encrypt = async (refresh: boolean) => encryptCard(buildPayload(form.current(), new Date(), crypto.randomUUID()), await keys.encryptionKey(refresh))

  async function send(): Promise<void> {
    errorLine.textContent = ''
    const chosen = saved?.selected() ?? null
    if (chosen === null) {
      const evaluation = form.reveal()
      if (evaluation.firstInvalid !== null) return view.fields[evaluation.firstInvalid].input.focus()
    }
    setBusy(true)
    try {
      let answer
      try {
        answer = await postAttempt(pageId, secret, chosen ? { token: chosen.token } : { card: await encrypt(false) })
      } catch (error) {
        // The vault rotated its key since this page fetched it: encrypt once more.
        if (chosen || !(error instanceof VaultError) || error.payload.code !== 'invalid_card_encryption') throw error
        answer = await postAttempt(pageId, secret, { card: await encrypt(true) })
      }
      follow(answer)
    } catch (error) {
      setBusy(false)
      showFailure(error)
    }
  }

  function showFailure(error: unknown): void {
    const code = error instanceof VaultError ? error.payload.code : 'encryption_failed'
    if (code.startsWith('payment_page_') && code !== 'payment_page_busy') {
      // Used, failed or expired meanwhile: the vault's page says which.
      errorLine.textContent = texts.errors.closed
      location.reload()
      return
    }
    const field = FIELD_OF_CODE[code]
    if (field !== undefined && (saved?.selected() ?? null) === null) {
      form.setServiceError(field, code)
      view.fields[field].input.focus()
      return
    }
    errorLine.textContent =
      code === 'card_declined' ? texts.errors.declined
      : code === 'invalid_page_secret' ? texts.errors.reopened
      : code === 'payment_page_busy' ? texts.errors.busy
      : code === 'network_error' ? texts.errors.network
      : code in messages.errors ? errorText(messages, code)
      : texts.errors.generic
  }

  function follow(answer: AttemptAnswer): void {
    if (answer.status === 'completed' || answer.status === 'failed') {
      statusLine.textContent = texts.redirecting
      location.assign(answer.redirect_url)
      return
    }
    // 3-D Secure: the vault renders the page with the bank's challenge in it.
    location.reload()
  }

  button.addEventListener('click', () => void send())
  // Enter in a card input pays, as in any form.
  view.form.addEventListener('submit', () => void send())
  button.disabled = false
}

/** While the bank's challenge shows: ask the vault once a second until the try has ended. */
function waitForChallenge(pageId: string, secret: string): void {
  const texts = PAGE_TEXTS[resolveLocale(data.locale)]
  const poll = async () => {
    try {
      const answer = await currentAttempt(pageId, secret)
      if (answer.status === 'requires_action') return void setTimeout(poll, POLL_MS)
      if (answer.status === 'completed' || answer.status === 'failed') {
        byId('page-status').textContent = texts.redirecting
        return location.assign(answer.redirect_url)
      }
      // Declined at the bank, or the page ended meanwhile: the vault's page says which.
      location.reload()
    } catch (error) {
      if (error instanceof VaultError && error.payload.code !== 'network_error') return location.reload()
      setTimeout(poll, POLL_MS)
    }
  }
  setTimeout(poll, POLL_MS)
}

if (data.page && data.secret) {
  if (data.state === 'challenge') waitForChallenge(data.page, data.secret)
  else void start(data.page, data.secret)
}
