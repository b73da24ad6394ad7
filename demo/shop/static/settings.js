// Settings: make a token in the current project and add it to the table, to compare formats and
// what a repeat of the same card gives.
import { el, postJson, tokenizeProblem } from './shop.js'

const form = document.getElementById('try-form')
const card = document.getElementById('card')
const button = document.getElementById('try-button')
const status = document.getElementById('try-status')
const rows = document.querySelector('#tries tbody')

const badge = (text, tone) => el('span', { class: `badge badge-${tone}` }, text)

form?.addEventListener('submit', async (event) => {
  event.preventDefault()
  if (!card || button.disabled) return
  button.disabled = true
  status.replaceChildren()
  try {
    const { token } = await card.tokenize()
    const answer = await postJson('/api/settings/try', { token })
    if (answer.status !== 200) throw new Error(answer.body.error?.message ?? `The shop answered ${answer.status}.`)
    const t = answer.body
    rows.querySelector('.empty-row')?.remove()
    rows.append(
      el('tr', {}, el('td', {}, String(t.index)), el('td', { class: 'mono break' }, t.token), el('td', {}, `${t.length} · ${t.shape}`), el('td', {}, t.card), el('td', {}, t.verification), el('td', {}, t.same_as ? badge(`same as #${t.same_as}`, 'warn') : badge('new', 'neutral'))),
    )
    status.replaceChildren(el('p', { class: 'notice notice-success' }, t.same_as ? `Token #${t.index} is the same token as #${t.same_as}.` : `Token #${t.index} is a new token.`))
    card.clear()
  } catch (error) {
    const text = error?.code ? `${tokenizeProblem(error)} (${error.code})` : (error?.message ?? 'Something went wrong.')
    status.replaceChildren(el('p', { class: 'notice notice-error' }, text))
  } finally {
    button.disabled = false
  }
})
