// The page shell: head (CSP-friendly: stylesheet and scripts from the shop, the loader from
// the vault with its SRI hash), the header with the signed-in customer, navigation, footer.
import { CUSTOMERS } from '../catalog.js'
import { describeSettings } from '../demo-projects.js'
import type { ShopSession } from '../env.js'
import { csrfField, html, type Html } from './html.js'

export const NAV = [
  { path: '/checkout', label: 'Checkout' },
  { path: '/one-click', label: 'One-click' },
  { path: '/hosted', label: 'Hosted page' },
  { path: '/saved-cards', label: 'Saved cards' },
  { path: '/tokens', label: 'Token inspector' },
  { path: '/webhooks', label: 'Webhooks' },
  { path: '/test-cards', label: 'Test cards' },
  { path: '/settings', label: 'Settings' },
] as const

export type NavPath = (typeof NAV)[number]['path']

export interface PageOptions {
  title: string
  active: NavPath
  session: ShopSession
  vaultUrl: string
  /** Set on pages with a card field: the loader comes from the vault, pinned by this hash. */
  loader?: { src: string; integrity: string }
  /** The page's own module from /static/. */
  script?: string
  body: Html
}

const LOGO = html`<svg class="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
  <rect x="2" y="2" width="13" height="13" rx="2" fill="#c8553d"/><rect x="17" y="2" width="13" height="13" rx="2" fill="#2a6f7f"/>
  <rect x="2" y="17" width="13" height="13" rx="2" fill="#e0a458"/><rect x="17" y="17" width="13" height="13" rx="2" fill="#1d3557"/></svg>`

function customerSwitcher(session: ShopSession, returnTo: string): Html {
  return html`<form class="switcher" method="post" action="/session/customer">
    ${csrfField(session)}<input type="hidden" name="return" value="${returnTo}">
    <label for="customer-switch">Signed in as</label>
    <select id="customer-switch" name="customer" data-autosubmit>
      ${CUSTOMERS.map((c) => html`<option value="${c.id}" ${c.id === session.customer.id ? 'selected' : ''}>${c.name}</option>`)}
    </select>
    <button type="submit" class="button button-small">Switch</button>
  </form>`
}

export function page(options: PageOptions): Html {
  const { session } = options
  const project = session.project
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${session.csrfToken}">
<title>${options.title} · Tessera Tiles (demo shop)</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/shop.css">
${options.loader ? html`<script type="module" src="${options.loader.src}" integrity="${options.loader.integrity}" crossorigin="anonymous"></script>` : ''}
<script type="module" src="/static/shop.js"></script>
${options.script ? html`<script type="module" src="/static/${options.script}"></script>` : ''}
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <div class="bar">
    <a class="brand" href="/checkout">${LOGO}<span>Tessera Tiles</span><span class="tag">demo shop</span></a>
    ${customerSwitcher(session, options.active)}
  </div>
  <nav class="tabs" aria-label="Demo pages">
    <ul>${NAV.map((item) => html`<li><a href="${item.path}" ${item.path === options.active ? html`aria-current="page"` : ''}>${item.label}</a></li>`)}</ul>
  </nav>
</header>
<main id="main" class="content">
${
  project
    ? html`<p class="project-line">Project <a href="/settings"><strong>${project.label}</strong></a> <span class="muted">${describeSettings(project.settings)} · test mode</span></p>`
    : html`<p class="notice notice-warn" role="alert">The demo projects are not set up yet. Start the demo with <code>npm start</code>.</p>`
}
${options.body}
</main>
<footer class="site-footer">
  <p>This shop never sees a card number: the card field is an iframe from the vault at <code>${options.vaultUrl}</code>, and the shop's server holds only tokens and its secret key.</p>
</footer>
</body>
</html>`
}
