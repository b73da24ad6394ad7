// A project's settings as the CLI and the management API set them: checked and normalised
// here once, so both doors accept and refuse the same values.
import { InvalidRequestError } from '../errors.js'
import { normalizeOrigins } from './origins.js'
import type { OnDuplicate, TokenFormatName, TokenManagement, VerificationName } from './project.js'

export interface ProjectSettingsInput {
  name?: string
  displayName?: string | null
  allowedOrigins?: readonly string[]
  verification?: VerificationName
  tokenFormat?: TokenFormatName
  tokenManagement?: TokenManagement
  onDuplicate?: OnDuplicate
  webhookUrl?: string | null
}

export const PROJECT_DEFAULTS = {
  verification: 'basic',
  tokenFormat: 'random',
  tokenManagement: 'unique-token',
  onDuplicate: 'return',
} as const

export const NAME_LIMITS = { max: 100 } as const

function checkName(name: string, param: string): string {
  const trimmed = name.trim()
  if (trimmed.length === 0 || trimmed.length > NAME_LIMITS.max || /[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new InvalidRequestError('parameter_invalid', `${param} must be 1-${NAME_LIMITS.max} printable characters.`, param)
  }
  return trimmed
}

/** Checks and normalises whichever settings are present; absent ones stay absent. */
export async function normalizeSettings(input: ProjectSettingsInput, checkWebhookUrl: (url: string) => Promise<void>): Promise<ProjectSettingsInput> {
  const out: ProjectSettingsInput = { ...input }
  if (input.name !== undefined) out.name = checkName(input.name, 'name')
  if (input.displayName !== undefined && input.displayName !== null) out.displayName = checkName(input.displayName, 'display_name')
  if (input.allowedOrigins !== undefined) out.allowedOrigins = normalizeOrigins(input.allowedOrigins)
  // The webhook-URL rule (backend/events/webhook-url.ts), the one the dispatcher applies again at each delivery.
  if (input.webhookUrl !== undefined && input.webhookUrl !== null) await checkWebhookUrl(input.webhookUrl)
  return out
}
