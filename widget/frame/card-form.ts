// The live card form: formats each input as it changes, keeps the customer's progress, shows
// errors under the fields and reports every change (without digits) to the frame's controller.
import type { CardState, ErrorCode, Field } from '../protocol.js'
import { FIELDS } from '../protocol.js'
import { showBrand } from './brand-icon.js'
import { emptyValues, errorText, evaluate, publicState, type CardValues, type Evaluation, type Progress } from './card-state.js'
import { applyTexts, showFieldError, type FormView } from './fields.js'
import { applySeparatorDeletion, formatCvc, formatExpiry, formatName, formatNumber, onlyDigits, type Edit } from './format.js'
import { brandOf, cvcLengthFor } from '../../common/card-rules.js'
import type { Messages } from './i18n/index.js'

export interface CardFormDeps {
  now(): Date
  /** Called after every change of values or of the errors shown. */
  onChange(state: CardState, edited: boolean): void
}

function formatterFor(field: Field, values: CardValues): (edit: Edit) => Edit {
  if (field === 'number') return formatNumber
  if (field === 'expiry') return formatExpiry
  if (field === 'name') return formatName
  const brand = brandOf(onlyDigits(values.number)).brand
  return (edit) => formatCvc(edit, brand === 'unknown' ? 4 : cvcLengthFor(brand))
}

export class CardForm {
  private values: CardValues = emptyValues()
  private touched = new Set<Field>()
  private submitted = false
  private serviceErrors: Progress['serviceErrors'] = {}
  private messages: Messages

  constructor(
    private readonly view: FormView,
    messages: Messages,
    private readonly deps: CardFormDeps,
  ) {
    this.messages = messages
    applyTexts(view, messages)
    for (const field of FIELDS) {
      const input = view.fields[field].input
      input.addEventListener('input', (event) => this.onInput(field, event as InputEvent))
      input.addEventListener('blur', () => this.onBlur(field))
    }
    // Enter inside the frame must not navigate it.
    view.form.addEventListener('submit', (event) => event.preventDefault())
  }

  /** The values to encrypt; only read inside the frame. */
  current(): CardValues {
    return { ...this.values }
  }

  evaluation(): Evaluation {
    return evaluate(this.values, { touched: this.touched, submitted: this.submitted, serviceErrors: this.serviceErrors }, this.deps.now())
  }

  setMessages(messages: Messages): void {
    this.messages = messages
    applyTexts(this.view, messages)
    this.render(false)
  }

  /** A tokenize was asked for: from now on every field shows what is wrong with it. */
  reveal(): Evaluation {
    this.submitted = true
    this.render(false)
    return this.evaluation()
  }

  /** An error the vault gave for a field, shown until that field is edited. */
  setServiceError(field: Field, code: ErrorCode): void {
    this.serviceErrors = { ...this.serviceErrors, [field]: code }
    this.render(false)
  }

  clear(): void {
    this.values = emptyValues()
    this.touched.clear()
    this.submitted = false
    this.serviceErrors = {}
    for (const field of FIELDS) this.view.fields[field].input.value = ''
    this.render(true)
  }

  /** Shows the current errors and brand, then reports the state. */
  render(edited: boolean): void {
    const evaluation = this.evaluation()
    for (const field of FIELDS) {
      const code = evaluation.shown[field]
      showFieldError(this.view.fields[field], code === undefined ? undefined : errorText(this.messages, code))
    }
    showBrand(this.view.brandIcon, evaluation.brand, this.messages.unknownBrand)
    this.deps.onChange(publicState(evaluation, this.messages), edited)
  }

  private onInput(field: Field, event: InputEvent): void {
    const input = this.view.fields[field].input
    const raw: Edit = { value: input.value, caret: input.selectionStart ?? input.value.length }
    const edit = applySeparatorDeletion(this.values[field], raw, event.inputType ?? '')
    const formatted = formatterFor(field, this.values)(edit)
    input.value = formatted.value
    // Autofill fills fields that do not have focus; moving their selection could steal it.
    if (document.activeElement === input) input.setSelectionRange(formatted.caret, formatted.caret)
    this.values[field] = formatted.value
    delete this.serviceErrors[field]
    this.render(true)
  }

  private onBlur(field: Field): void {
    if (this.touched.has(field) || this.values[field] === '') return
    this.touched.add(field)
    this.render(false)
  }
}
