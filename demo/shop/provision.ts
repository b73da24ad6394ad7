// The demo projects in the vault, as `npm start` sets them up, over HTTP through the management
// API with an admin key and the published client (`@tessera/node`), as any merchant's or
// operator's server would: the ones recorded in the keys file are reused (their origins, webhook
// URL and settings brought up to date) while their recorded keys still work, the others created,
// and the file rewritten (mode 0600).
import type { ApiKey, Project, TesseraClient } from '../../packages/node/index.js'
import { DEMO_PROJECTS, readDemoProjectsFile, writeDemoProjectsFile, type DemoProjectDefinition, type DemoProjectRecord } from './demo-projects.js'

export interface DemoTarget {
  /** The shop's origins: the projects' allowed origins. */
  origins: string[]
  webhookUrl: string
}

/** An answer other than the one asked for: the vault's status and error code. */
export class ProvisionError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'ProvisionError'
  }
}

/** The answer's body, or a ProvisionError carrying the vault's status and error. */
async function answer<T>(call: Promise<{ data?: T; error?: { error: { code: string; message: string } }; response: Response }>): Promise<T> {
  const { data, error, response } = await call
  if (response.ok && data !== undefined) return data
  throw new ProvisionError(response.status, error?.error.code ?? 'unexpected_response', error?.error.message ?? `The vault answered ${response.status}.`)
}

/** Whether `secret` is the key a list shows as `key` (same kind, mode, prefix and last four). */
const isListedKey = (key: ApiKey, secret: string): boolean => key.prefix === secret.slice(0, key.prefix.length) && key.last4 === secret.slice(-4)

/** The recorded project, if it still exists and both recorded test keys still work. */
async function recordedProject(vault: TesseraClient, record: DemoProjectRecord): Promise<Project | null> {
  const path = { id: record.project_id }
  try {
    const [project, keys] = await Promise.all([answer(vault.GET('/v1/projects/{id}', { params: { path } })), answer(vault.GET('/v1/projects/{id}/keys', { params: { path } }))])
    const works = (kind: string, secret: string) => keys.data.some((k) => k.kind === kind && k.mode === 'test' && isListedKey(k, secret))
    return works('publishable', record.test.publishable_key) && works('secret', record.test.secret_key) ? project : null
  } catch (error) {
    if (error instanceof ProvisionError && error.status === 404) return null
    throw error
  }
}

/**
 * Brings a reused project to the definition's settings and the shop's origins and webhook URL.
 * False when that would change its token format or management while it holds tokens (409).
 */
async function bringUpToDate(vault: TesseraClient, project: Project, definition: DemoProjectDefinition, target: DemoTarget): Promise<boolean> {
  const { settings } = definition
  const sameTokens = project.token_format === settings.token_format && project.token_management === settings.token_management
  const body = {
    allowed_origins: target.origins,
    webhook_url: target.webhookUrl,
    verification: settings.verification,
    on_duplicate: settings.on_duplicate,
    ...(!sameTokens && { token_format: settings.token_format, token_management: settings.token_management }),
  }
  try {
    await answer(vault.PATCH('/v1/projects/{id}', { params: { path: { id: project.id } }, body }))
    return true
  } catch (error) {
    if (error instanceof ProvisionError && error.status === 409) return false
    throw error
  }
}

/** `vault`: the published client made with an admin key (`createTesseraClient({vaultUrl, apiKey})`). */
export async function ensureDemoProjects(vault: TesseraClient, file: string, target: DemoTarget): Promise<{ records: DemoProjectRecord[]; created: number }> {
  const previous = readDemoProjectsFile(file)?.projects ?? []
  const records: DemoProjectRecord[] = []
  let created = 0
  for (const definition of DEMO_PROJECTS) {
    const old = previous.find((r) => r.name === definition.name)
    const project = old && (await recordedProject(vault, old))
    if (old && project && (await bringUpToDate(vault, project, definition, target))) {
      records.push({ ...old, label: definition.label, allowed_origins: target.origins, webhook_url: target.webhookUrl, settings: definition.settings })
      continue
    }
    const { settings } = definition
    const made = await answer(vault.POST('/v1/projects', { body: { name: `Demo: ${definition.label}`, allowed_origins: target.origins, webhook_url: target.webhookUrl, ...settings } }))
    const secretOf = (kind: string) => made.keys.find((k) => k.kind === kind && k.mode === 'test')?.secret as string
    records.push({ name: definition.name, label: definition.label, project_id: made.id, allowed_origins: target.origins, webhook_url: target.webhookUrl, settings, test: { publishable_key: secretOf('publishable'), secret_key: secretOf('secret') } })
    created++
  }
  writeDemoProjectsFile(file, { version: 1, projects: records })
  return { records, created }
}
