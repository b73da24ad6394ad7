// The frame's side of the port: applies the host's configuration, answers tokenize, focus and
// clear, and reports state, focus, blur and height. What it posts never holds typed digits.
import {
  FIELDS,
  parseHostMessage,
  STYLE_PROPERTIES,
  type CardState,
  type ConfigureMessage,
  type ErrorPayload,
  type Field,
  type FrameMessage,
  type HostMessage,
} from '../protocol.js'
import { CardForm } from './card-form.js'
import { errorText, validationMessage } from './card-state.js'
import { buildForm, setDisabled, type FormView } from './fields.js'
import { keepFocus, type FocusKeeper } from './focus.js'
import { loadMessages, type Messages } from './i18n/index.js'
import { buildSavedCards, type SavedCardsView } from './saved-cards.js'
import { buildSavedCvc, type SavedCvcView } from './saved-cvc.js'
import { encryptCard } from './encrypt.js'
import { tokenizeCard, type TokenizeDeps } from './tokenize.js'
import { VaultError, type SavedCard, type VaultClient } from './vault-client.js'

export interface FrameDeps extends TokenizeDeps {
  client: VaultClient
}

/** Which field a vault or validation error code belongs under. */
const FIELD_OF_CODE: Record<string, Field> = {
  incomplete_number: 'number', invalid_number: 'number', unsupported_brand: 'number',
  test_card_required: 'number', live_card_required: 'number', card_declined: 'number',
  incomplete_expiry: 'expiry', invalid_expiry: 'expiry', expired_card: 'expiry', expiry_too_far: 'expiry',
  incomplete_cvc: 'cvc', invalid_cvc: 'cvc', invalid_name: 'name',
}

export class CardFrame {
  private port: MessagePort | null = null
  private readonly view: FormView
  private readonly form: CardForm
  private readonly focus: FocusKeeper
  private messages: Messages
  private saved: SavedCardsView | null = null
  /** The chosen saved card's CVC input, when the project requires it. */
  private savedCvc: SavedCvcView | null = null
  private session: string | null = null
  private ready = false
  /** The form's height as last observed; null before its first layout. */
  private height: number | null = null
  private busy = false
  private configuring: Promise<void> = Promise.resolve()

  constructor(messages: Messages, private readonly deps: FrameDeps) {
    this.messages = messages
    this.view = buildForm()
    document.body.append(this.view.root)
    this.form = new CardForm(this.view, this.messages, { now: deps.now, onChange: (state, edited) => this.changed(state, edited) })
    const inputs = Object.fromEntries(FIELDS.map((f) => [f, this.view.fields[f].input])) as Record<Field, HTMLInputElement>
    this.focus = keepFocus(inputs, () => this.form.evaluation().firstInvalid ?? 'number')
    for (const field of FIELDS) {
      inputs[field].addEventListener('focus', () => this.post({ type: 'focus', field }))
      inputs[field].addEventListener('blur', () => this.post({ type: 'blur', field }))
    }
    // Measured after a layout the browser made anyway: reading the height earlier would force the
    // form's first layout (the slowest, fonts and all) into the task that reports ready.
    new ResizeObserver(() => {
      this.height = Math.ceil(this.view.root.getBoundingClientRect().height)
      this.post({ type: 'resize', height: this.height })
    }).observe(this.view.root)
    this.form.render(false)
  }

  /** Opens the port; the hello's configuration, when it carried one, applies at once. */
  connect(port: MessagePort, configure?: ConfigureMessage): void {
    this.port = port
    port.onmessage = (event) => {
      const message = parseHostMessage(event.data)
      if (message) void this.receive(message)
    }
    if (configure) void this.receive(configure)
  }

  private post(message: FrameMessage): void {
    if (this.ready || message.type === 'ready') this.port?.postMessage(message)
  }

  private async receive(message: HostMessage): Promise<void> {
    // Configurations apply in order (one may be loading saved cards), and the other requests wait
    // for them: a tokenize sent as soon as the port opened must see the saved cards and the locale.
    if (message.type === 'configure') {
      this.configuring = this.configuring
        .then(() => this.configure(message))
        .catch(() => this.post({ type: 'error', error: { type: 'api_error', code: 'frame_error', message: 'The card field could not apply its settings.' } }))
      return
    }
    await this.configuring
    if (message.type === 'tokenize') return this.tokenize(message.id)
    if (message.type === 'focus') return this.focus.request(message.field)
    this.savedCvc?.show(this.saved?.selected() ?? null, this.messages)
    this.form.clear()
  }

  private async configure(message: ConfigureMessage): Promise<void> {
    this.messages = await loadMessages(message.locale)
    this.view.root.classList.toggle('layout-row', message.layout === 'row')
    for (const name of STYLE_PROPERTIES) {
      const value = message.style[name]
      if (value === undefined) document.documentElement.style.removeProperty(name)
      else document.documentElement.style.setProperty(name, value)
    }
    let listFailure: ErrorPayload | null = null
    if (message.customerSession !== this.session) {
      this.session = message.customerSession
      listFailure = await this.loadSavedCards()
    }
    setDisabled(this.view, message.disabled)
    this.saved?.setDisabled(message.disabled)
    this.saved?.relabel(this.messages)
    if (this.savedCvc) {
      this.savedCvc.input.disabled = message.disabled
      this.savedCvc.relabel(this.saved?.selected() ?? null, this.messages)
    }
    if (!this.ready) {
      this.post({ type: 'ready', savedCards: this.saved?.count ?? 0 })
      this.ready = true
      if (this.height !== null) this.post({ type: 'resize', height: this.height })
    }
    // After ready: the element reports it as a tessera-error (an expired session, for one).
    if (listFailure) this.post({ type: 'error', error: listFailure })
    this.form.setMessages(this.messages)
  }

  /** Lists the session's saved cards; answers why they could not be listed, if they could not. */
  private async loadSavedCards(): Promise<ErrorPayload | null> {
    this.saved?.element.remove()
    this.savedCvc?.element.remove()
    this.saved = null
    this.savedCvc = null
    this.view.form.hidden = false
    if (this.session === null) return null
    try {
      const { cards, requireCvc } = await this.deps.client.savedCards(this.session)
      if (cards.length === 0) return null
      // A card the customer has started typing wins: the list then offers "use a new card".
      const typing = !this.form.evaluation().empty
      this.saved = buildSavedCards(cards, this.messages, () => this.selectionChanged(), !typing)
      this.view.root.prepend(this.saved.element)
      if (requireCvc) {
        this.savedCvc = buildSavedCvc(() => this.form.render(true))
        this.saved.element.after(this.savedCvc.element)
        this.savedCvc.show(this.saved.selected(), this.messages)
      }
      this.view.form.hidden = !typing
      return null
    } catch (error) {
      return error instanceof VaultError ? error.payload : { type: 'api_error', code: 'unknown_error', message: 'Saved cards could not be listed.' }
    }
  }

  private selectionChanged(): void {
    this.view.form.hidden = this.saved?.selected() != null
    this.savedCvc?.show(this.saved?.selected() ?? null, this.messages)
    this.form.render(true)
  }

  private changed(state: CardState, edited: boolean): void {
    const chosen = this.saved?.selected()
    const cvc = chosen && this.savedCvc?.check(chosen, false)
    const complete = !cvc || 'cvc' in cvc
    const errors = cvc && 'code' in cvc && cvc.code ? { cvc: { code: cvc.code, message: errorText(this.messages, cvc.code) } } : {}
    const shown: CardState = chosen ? { complete, empty: false, brand: chosen.card.brand, savedCard: true, errors } : state
    this.post({ type: 'change', state: shown, validationMessage: validationMessage(shown, this.messages), edited })
  }

  private async tokenize(id: number): Promise<void> {
    const chosen = this.saved?.selected()
    if (chosen) return this.useSaved(id, chosen)
    if (this.busy) return this.fail(id, { type: 'invalid_request_error', code: 'tokenize_in_progress', message: 'A tokenize call is already running.' })
    const evaluation = this.form.reveal()
    if (evaluation.firstInvalid !== null) {
      const code = evaluation.shown[evaluation.firstInvalid] ?? 'incomplete_number'
      return this.fail(id, { type: 'card_error', code, message: errorText(this.messages, code), param: evaluation.firstInvalid })
    }
    this.busy = true
    try {
      const result = await tokenizeCard(this.deps, this.form.current(), this.session)
      this.post({ type: 'result', id, ok: true, token: result.token, card: result.card })
    } catch (error) {
      this.fail(id, this.describeFailure(error))
    } finally {
      this.busy = false
    }
  }

  /** A saved card: its token, with its CVC encrypted for the vault when the project requires it. */
  private async useSaved(id: number, chosen: SavedCard): Promise<void> {
    if (!this.savedCvc) return this.post({ type: 'result', id, ok: true, token: chosen.token, card: chosen.card })
    const checked = this.savedCvc.check(chosen, true)
    if (!('cvc' in checked)) {
      const code = checked.code ?? 'incomplete_cvc'
      this.savedCvc.input.focus()
      this.form.render(false)
      return this.fail(id, { type: 'card_error', code, message: errorText(this.messages, code), param: 'cvc' })
    }
    try {
      const key = await this.deps.client.encryptionKey()
      const cvcToken = await encryptCard({ cvc: checked.cvc, token: chosen.token, iat: Math.floor(this.deps.now().getTime() / 1000), jti: this.deps.newJti() }, key)
      this.post({ type: 'result', id, ok: true, token: chosen.token, card: chosen.card, cvc_token: cvcToken })
    } catch (error) {
      this.fail(id, this.describeFailure(error))
    }
  }

  /** Field errors are shown under their field and get the customer's language. */
  private describeFailure(error: unknown): ErrorPayload {
    if (!(error instanceof VaultError)) return { type: 'api_error', code: 'encryption_failed', message: 'The card could not be encrypted in this browser.' }
    const field = FIELD_OF_CODE[error.payload.code]
    if (field === undefined) return error.payload
    this.form.setServiceError(field, error.payload.code)
    return { ...error.payload, message: errorText(this.messages, error.payload.code), param: field }
  }

  private fail(id: number, error: ErrorPayload): void {
    this.post({ type: 'result', id, ok: false, error })
  }
}
