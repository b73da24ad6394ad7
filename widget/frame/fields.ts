// The frame's inputs: labelled, described by their error text, autofill-friendly, and with no
// native constraint attributes (pattern, required, maxlength): validation is the frame's own.
import type { Field } from '../protocol.js'
import { FIELDS } from '../protocol.js'
import type { Messages } from './i18n/index.js'

export interface FieldView {
  input: HTMLInputElement
  label: HTMLLabelElement
  error: HTMLElement
}

export interface FormView {
  root: HTMLElement
  form: HTMLFormElement
  fields: Record<Field, FieldView>
  brandIcon: HTMLElement
}

const INPUT_ATTRIBUTES: Record<Field, Record<string, string>> = {
  number: { autocomplete: 'cc-number', inputmode: 'numeric', name: 'cardnumber' },
  expiry: { autocomplete: 'cc-exp', inputmode: 'numeric', name: 'cc-exp' },
  cvc: { autocomplete: 'cc-csc', inputmode: 'numeric', name: 'cvc' },
  name: { autocomplete: 'cc-name', name: 'ccname', autocapitalize: 'words' },
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, attributes: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  if (className) el.className = className
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value)
  return el
}

function buildField(field: Field): FieldView & { wrapper: HTMLElement } {
  const wrapper = element('div', `field field-${field}`)
  const label = element('label', 'label', { for: field })
  const input = element('input', 'input', {
    id: field,
    type: 'text',
    spellcheck: 'false',
    autocorrect: 'off',
    'aria-invalid': 'false',
    'aria-describedby': `${field}-error`,
    ...INPUT_ATTRIBUTES[field],
  })
  // Each error text is its own polite live region, so a new error is announced once.
  const error = element('p', 'error', { id: `${field}-error`, 'aria-live': 'polite' })
  wrapper.append(label, input, error)
  return { wrapper, input, label, error }
}

export function buildForm(): FormView {
  const root = element('main', 'tessera')
  const form = element('form', 'card', { autocomplete: 'on' })
  const built = Object.fromEntries(FIELDS.map((f) => [f, buildField(f)])) as Record<Field, FieldView & { wrapper: HTMLElement }>
  // The brand mark sits inside the number's box, so the input and the mark share a wrapper.
  const brandIcon = element('span', 'brand', { role: 'img' })
  const control = element('div', 'control')
  built.number.input.replaceWith(control)
  control.append(built.number.input, brandIcon)
  const row = element('div', 'row')
  row.append(built.expiry.wrapper, built.cvc.wrapper)
  form.append(built.number.wrapper, row, built.name.wrapper)
  root.append(form)
  return { root, form, fields: built, brandIcon }
}

/** Puts one language's labels and placeholders on the inputs. */
export function applyTexts(view: FormView, messages: Messages): void {
  document.documentElement.lang = messages.lang
  for (const field of FIELDS) {
    view.fields[field].label.textContent = messages.labels[field]
    view.fields[field].input.placeholder = messages.placeholders[field]
  }
}

/** Shows (or clears) a field's error text and its aria-invalid flag. */
export function showFieldError(view: FieldView, text: string | undefined): void {
  const invalid = text !== undefined
  view.input.setAttribute('aria-invalid', String(invalid))
  view.input.classList.toggle('invalid', invalid)
  if (view.error.textContent !== (text ?? '')) view.error.textContent = text ?? ''
}

export function setDisabled(view: FormView, disabled: boolean): void {
  for (const field of FIELDS) view.fields[field].input.disabled = disabled
}
