// The management API's objects: a project with its settings, and an API key as lists show it
// (prefix and last four); only the answer that makes a key adds its `secret`.
import type { ApiKeyRow, Mode } from '../store/schema.js'
import type { KeyKind, Permission, Project } from './project.js'

export interface ProjectObject {
  object: 'project'
  id: string
  name: string
  display_name: string | null
  allowed_origins: string[]
  webhook_url: string | null
  verification: Project['verification']
  token_format: Project['tokenFormat']
  token_management: Project['tokenManagement']
  on_duplicate: Project['onDuplicate']
  created_at: string
}

export interface ApiKeyObject {
  object: 'api_key'
  id: string
  kind: KeyKind
  mode: Mode
  name: string | null
  prefix: string
  last4: string | null
  /** A restricted key's permissions; null for publishable and secret keys. */
  permissions: Permission[] | null
  created_at: string
  expires_at: string | null
  last_used_at: string | null
}

/** A key as the answer that made it shows it, the only time its secret is seen. */
export interface NewApiKeyObject extends ApiKeyObject {
  secret: string
}

export function presentProject(p: Project): ProjectObject {
  return {
    object: 'project',
    id: p.id,
    name: p.name,
    display_name: p.displayName,
    allowed_origins: p.allowedOrigins,
    webhook_url: p.webhookUrl,
    verification: p.verification,
    token_format: p.tokenFormat,
    token_management: p.tokenManagement,
    on_duplicate: p.onDuplicate,
    created_at: p.createdAt,
  }
}

export function presentKey(row: ApiKeyRow): ApiKeyObject {
  return {
    object: 'api_key',
    id: row.id,
    kind: row.kind,
    mode: row.mode,
    name: row.name,
    prefix: row.prefix,
    last4: row.last4,
    permissions: row.permissions === null ? null : (JSON.parse(row.permissions) as Permission[]),
    created_at: row.created_at,
    expires_at: row.expires_at,
    last_used_at: row.last_used_at,
  }
}

export const presentNewKey = (row: ApiKeyRow, secret: string): NewApiKeyObject => ({ ...presentKey(row), secret })
