// Settings: the demo projects side by side (verification, token format, management), switching
// this browser between them, and a card field to see their effect on the next token.
import { Hono } from 'hono'
import * as v from 'valibot'
import { definitionOf, type DemoProjectRecord } from '../demo-projects.js'
import type { ShopDeps, ShopEnv, ShopSession } from '../env.js'
import type { TokenTry } from '../records.js'
import { useProject } from '../session.js'
import { VaultError } from '../vault-client.js'
import { badge, cardLabel, csrfField, html, type Html } from '../views/html.js'
import { apiError, cardFieldLoader, jsonBody, render, statusOf, tokenValue } from './support.js'

const FORMAT_SHAPES: Record<string, string> = {
  random: '64 hex characters from a CSPRNG',
  deterministic: '66 hex characters: 01 + HMAC of number and expiry',
  luhn: '16 digits from 9, passing Luhn, no card range',
  'preserve-6.4': 'first six and last four of the card, never a valid number',
  merchant: 'chosen by the merchant',
}

/** What a try looks like in the results table (and in the JSON the page's script renders). */
export function presentTry(project: DemoProjectRecord, t: TokenTry, index: number) {
  return {
    index,
    token: t.token.token,
    length: t.token.token.length,
    shape: FORMAT_SHAPES[project.settings.token_format] ?? project.settings.token_format,
    card: cardLabel(t.token.card),
    verification: t.token.verification ? `${t.token.verification.strategy}: ${t.token.verification.result}` : '—',
    same_as: t.sameAs,
  }
}

function projectCard(session: ShopSession, p: DemoProjectRecord): Html {
  const current = p.name === session.project?.name
  const heading = `project-${p.name}`
  return html`<li class="project ${current ? 'project-current' : ''}">
    <h3 id="${heading}">${p.label} ${current ? badge('in use', 'good') : ''}</h3>
    <dl class="facts compact">
      <div><dt>Verification</dt><dd>${p.settings.verification}</dd></div>
      <div><dt>Token format</dt><dd>${p.settings.token_format}</dd></div>
      <div><dt>Management</dt><dd>${p.settings.token_management}${p.settings.token_management === 'unique-account' ? `, on duplicate ${p.settings.on_duplicate}` : ''}</dd></div>
      <div><dt>Project</dt><dd class="mono">${p.project_id}</dd></div>
    </dl>
    <p>${definitionOf(p.name)?.effect ?? ''}</p>
    ${current ? '' : html`<form method="post" action="/settings/project">${csrfField(session)}<input type="hidden" name="project" value="${p.name}"><button type="submit" class="button" aria-describedby="${heading}">Use this project</button></form>`}
  </li>`
}

function tryRow(row: ReturnType<typeof presentTry>): Html {
  return html`<tr><td>${row.index}</td><td class="mono break">${row.token}</td><td>${row.length} · ${row.shape}</td><td>${row.card}</td><td>${row.verification}</td><td>${row.same_as ? badge(`same as #${row.same_as}`, 'warn') : badge('new')}</td></tr>`
}

function settingsBody(session: ShopSession, projects: readonly DemoProjectRecord[], tries: readonly TokenTry[], vaultDown: boolean): Html {
  const project = session.project
  return html`<h1>Settings</h1>
  <p class="lede">Each demo project is its own card repository with its own keys and repository settings. Switch this browser to one, then make a token below and compare.</p>
  <section aria-labelledby="projects-heading">
    <h2 id="projects-heading">Demo projects</h2>
    <ul class="projects">${projects.map((p) => projectCard(session, p))}</ul>
  </section>
  ${
    project
      ? html`<section class="panel" aria-labelledby="try-heading">
    <h2 id="try-heading">The next token in “${project.label}”</h2>
    <p class="muted">Tokenize a test card (nothing is charged, no customer). Tokenize the same card twice to see unique-token against unique-account, or a decline card in the acquirer-verified project.</p>
    <form id="try-form" class="pay-form" novalidate>
      ${vaultDown ? html`<p class="notice notice-error" role="alert">The vault is not answering.</p>` : html`<label for="card" class="field-label">Card details</label><tessera-card id="card" publishable-key="${project.test.publishable_key}"></tessera-card>`}
      <button type="submit" class="button button-primary" id="try-button">Make a token</button>
    </form>
    <div id="try-status" class="pay-status" role="status" aria-live="polite"></div>
    <div class="table-wrap"><table class="table" id="tries">
      <caption class="visually-hidden">Tokens made in this project</caption>
      <thead><tr><th scope="col">#</th><th scope="col">Token</th><th scope="col">Shape</th><th scope="col">Card</th><th scope="col">Verification</th><th scope="col">Repeat?</th></tr></thead>
      <tbody>${tries.length === 0 ? html`<tr class="empty-row"><td colspan="6">No tokens made in this project yet.</td></tr>` : tries.map((t, i) => tryRow(presentTry(project, t, i + 1)))}</tbody>
    </table></div>
  </section>`
      : ''
  }`
}

const tryBody = v.strictObject({ token: tokenValue })

export function settingsRoutes(deps: ShopDeps): Hono<ShopEnv> {
  const app = new Hono<ShopEnv>()

  app.get('/settings', async (c) => {
    const session = c.get('session')
    const loader = await cardFieldLoader(deps)
    const tries = session.project ? deps.records.tries(session.project.name) : []
    const body = settingsBody(session, deps.projects.all(), tries, loader === null)
    return render(c, deps, { title: 'Settings', active: '/settings', body, loader: loader ?? undefined, script: 'settings.js' })
  })

  app.post('/settings/project', async (c) => {
    const form = await c.req.parseBody()
    const project = deps.projects.byName(typeof form.project === 'string' ? form.project : undefined)
    if (project) useProject(c, project.name)
    return c.redirect('/settings', 303)
  })

  app.post('/api/settings/try', async (c) => {
    const { project } = c.get('session')
    if (!project) return apiError(c, 503, 'demo_not_ready', 'The demo projects are not set up yet.')
    const body = await jsonBody(c, tryBody)
    if (!body) return apiError(c, 400, 'invalid_request', 'Send {token}.')
    try {
      const token = await deps.vault.token(project.test.secret_key, body.token)
      const entry = deps.records.addTry(project.name, token)
      return c.json(presentTry(project, entry, deps.records.tries(project.name).length))
    } catch (error) {
      if (error instanceof VaultError) return apiError(c, statusOf(error.status), error.code, error.message)
      throw error
    }
  })

  return app
}
