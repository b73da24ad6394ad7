// The demo projects in the vault, as `npm start` sets them up: the ones recorded in the keys
// file are reused while they still fit, the others created, and the file rewritten (mode 0600).
import type { ProjectService } from '../../backend/projects/service.js'
import { DEMO_PROJECTS, readDemoProjectsFile, sameSettings, writeDemoProjectsFile, type DemoProjectDefinition, type DemoProjectRecord } from './demo-projects.js'

/** The slice of the vault's project service this needs. */
export type DemoProjectService = Pick<ProjectService, 'authenticate' | 'create'>

export interface DemoTarget {
  /** The shop's origins: the projects' allowed origins. */
  origins: string[]
  webhookUrl: string
}

async function stillUsable(projects: DemoProjectService, record: DemoProjectRecord, definition: DemoProjectDefinition, target: DemoTarget): Promise<boolean> {
  const [secret, publishable] = await Promise.all([projects.authenticate(record.test.secret_key), projects.authenticate(record.test.publishable_key)])
  if (!secret || secret.kind !== 'secret' || secret.mode !== 'test' || publishable?.project.id !== record.project_id) return false
  const p = secret.project
  const settings = { verification: p.verification, token_format: p.tokenFormat, token_management: p.tokenManagement, on_duplicate: p.onDuplicate }
  return (
    p.id === record.project_id &&
    sameSettings(settings, definition.settings) &&
    p.webhookUrl === target.webhookUrl &&
    p.allowedOrigins.length === target.origins.length &&
    target.origins.every((o) => p.allowedOrigins.includes(o))
  )
}

/**
 * Reuses the demo projects recorded in the data folder when their keys still open them with
 * the same settings, origins and webhook URL; creates the others. Projects cannot be edited,
 * so a changed shop port means new projects (the old ones stay, unused).
 */
export async function ensureDemoProjects(projects: DemoProjectService, file: string, target: DemoTarget): Promise<{ records: DemoProjectRecord[]; created: number }> {
  const previous = readDemoProjectsFile(file)?.projects ?? []
  const records: DemoProjectRecord[] = []
  let created = 0
  for (const definition of DEMO_PROJECTS) {
    const old = previous.find((r) => r.name === definition.name)
    if (old && (await stillUsable(projects, old, definition, target))) {
      records.push({ ...old, label: definition.label })
      continue
    }
    const { settings } = definition
    const made = await projects.create({
      name: `Demo: ${definition.label}`,
      allowedOrigins: target.origins,
      verification: settings.verification,
      tokenFormat: settings.token_format,
      tokenManagement: settings.token_management,
      onDuplicate: settings.on_duplicate,
      webhookUrl: target.webhookUrl,
    })
    records.push({ name: definition.name, label: definition.label, project_id: made.project.id, allowed_origins: target.origins, webhook_url: target.webhookUrl, settings, test: made.keys.test })
    created++
  }
  writeDemoProjectsFile(file, { version: 1, projects: records })
  return { records, created }
}
