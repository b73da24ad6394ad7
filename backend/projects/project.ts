// A project: one merchant's card repository, its settings and who may embed its card field.
import type { Mode } from '../store/schema.js'

export const VERIFICATIONS = ['none', 'basic', 'acquirer'] as const
export const TOKEN_FORMATS = ['random', 'deterministic', 'luhn', 'preserve-6.4', 'merchant'] as const
export const TOKEN_MANAGEMENTS = ['unique-token', 'unique-account'] as const
export const ON_DUPLICATES = ['return', 'error'] as const

export type VerificationName = (typeof VERIFICATIONS)[number]
export type TokenFormatName = (typeof TOKEN_FORMATS)[number]
export type TokenManagement = (typeof TOKEN_MANAGEMENTS)[number]
export type OnDuplicate = (typeof ON_DUPLICATES)[number]

/** What a restricted key (`rk_`) may be limited to; secret keys hold them all. */
export const PERMISSIONS = ['tokens:read', 'tokens:write', 'payments:read', 'payments:write', 'customers:read', 'events:read', 'audit:read'] as const
export type Permission = (typeof PERMISSIONS)[number]

export const KEY_KINDS = ['publishable', 'secret', 'restricted'] as const
export type KeyKind = (typeof KEY_KINDS)[number]

export interface Project {
  id: string
  name: string
  /** The name shoppers see (the hosted payment page); null shows `name`. */
  displayName: string | null
  allowedOrigins: string[]
  verification: VerificationName
  tokenFormat: TokenFormatName
  tokenManagement: TokenManagement
  onDuplicate: OnDuplicate
  webhookUrl: string | null
  createdAt: string
}

/** Who is calling: the key that authenticated the request and the project and mode it opens. */
export interface Principal {
  keyId: string
  /** A restricted key acts as a secret key limited to `permissions`. */
  kind: 'publishable' | 'secret'
  mode: Mode
  project: Project
  /** Set for a restricted key only: what it may do. Absent means every secret-key permission. */
  permissions?: readonly Permission[]
  /** Set for a rolled key: when it stops working (ms since the epoch), checked on every use. */
  expiresAt?: number
}
