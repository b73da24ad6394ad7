// The demo projects in the vault, as `npm start` sets them up, over HTTP through the management
// API with an admin key, as any merchant's or operator's server would: the ones recorded in the
// keys file are reused (their origins, webhook URL and settings brought up to date) while their
// recorded keys still work, the others created, and the file rewritten (mode 0600).
import { isListedKey, TesseraApiError, type ManagementClient, type ProjectObject } from '../../backend/sdk/management.js'
import { DEMO_PROJECTS, readDemoProjectsFile, writeDemoProjectsFile, type DemoProjectDefinition, type DemoProjectRecord } from './demo-projects.js'

/** The slice of the management client this needs. */
export type DemoProjectManager = Pick<ManagementClient, 'createProject' | 'getProject' | 'updateProject' | 'listKeys'>

export interface DemoTarget {
  /** The shop's origins: the projects' allowed origins. */
  origins: string[]
  webhookUrl: string
}

const notFound = (error: unknown) => error instanceof TesseraApiError && error.status === 404

/** The recorded project, if it still exists and both recorded test keys still work. */
async function recordedProject(vault: DemoProjectManager, record: DemoProjectRecord): Promise<ProjectObject | null> {
  try {
    const [project, keys] = await Promise.all([vault.getProject(record.project_id), vault.listKeys(record.project_id)])
    const works = (kind: string, secret: string) => keys.data.some((k) => k.kind === kind && k.mode === 'test' && isListedKey(k, secret))
    return works('publishable', record.test.publishable_key) && works('secret', record.test.secret_key) ? project : null
  } catch (error) {
    if (notFound(error)) return null
    throw error
  }
}

/**
 * Brings a reused project to the definition's settings and the shop's origins and webhook URL.
 * False when that would change its token format or management while it holds tokens (409).
 */
async function bringUpToDate(vault: DemoProjectManager, project: ProjectObject, definition: DemoProjectDefinition, target: DemoTarget): Promise<boolean> {
  const { settings } = definition
  const sameTokens = project.token_format === settings.token_format && project.token_management === settings.token_management
  try {
    await vault.updateProject(project.id, {
      allowed_origins: target.origins,
      webhook_url: target.webhookUrl,
      verification: settings.verification,
      on_duplicate: settings.on_duplicate,
      ...(!sameTokens && { token_format: settings.token_format, token_management: settings.token_management }),
    })
    return true
  } catch (error) {
    if (error instanceof TesseraApiError && error.status === 409) return false
    throw error
  }
}

export async function ensureDemoProjects(vault: DemoProjectManager, file: string, target: DemoTarget): Promise<{ records: DemoProjectRecord[]; created: number }> {
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
    const made = await vault.createProject({ name: `Demo: ${definition.label}`, allowed_origins: target.origins, webhook_url: target.webhookUrl, ...settings })
    const secretOf = (kind: string) => made.keys.find((k) => k.kind === kind && k.mode === 'test')?.secret as string
    records.push({ name: definition.name, label: definition.label, project_id: made.id, allowed_origins: target.origins, webhook_url: target.webhookUrl, settings, test: { publishable_key: secretOf('publishable'), secret_key: secretOf('secret') } })
    created++
  }
  writeDemoProjectsFile(file, { version: 1, projects: records })
  return { records, created }
}
