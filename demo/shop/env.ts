// The shop's typed Hono environment (what the middleware puts on every request) and the
// dependencies every route module receives.
import type { DemoCustomer } from './catalog.js'
import type { DemoProjectRecord } from './demo-projects.js'
import type { ProjectDirectory } from './project-keys.js'
import type { ShopRecords } from './records.js'
import type { VaultClient } from './vault-client.js'
import type { WebhookInbox } from './webhook-inbox.js'

export interface ShopSession {
  /** A random id in an HttpOnly cookie; the CSRF token is bound to it. */
  sid: string
  csrfToken: string
  /** The demo customer this browser is signed in as. */
  customer: DemoCustomer
  /** The demo project this browser shops in (Settings switches it); undefined until the projects exist. */
  project: DemoProjectRecord | undefined
}

export interface ShopEnv {
  Variables: { session: ShopSession }
}

export interface ShopDeps {
  vault: VaultClient
  projects: ProjectDirectory
  records: ShopRecords
  inbox: WebhookInbox
}
