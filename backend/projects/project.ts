// A project: one merchant's card repository, its settings and who may embed its card field.
import type { ACCOUNT_UPDATER_SETTINGS, ON_DUPLICATES, TOKEN_FORMATS, TOKEN_MANAGEMENTS, VERIFICATIONS } from '../../common/project-settings.js'
import type { Mode } from '../store/schema.js'

export { ACCOUNT_UPDATER_SETTINGS, ON_DUPLICATES, TOKEN_FORMATS, TOKEN_MANAGEMENTS, VERIFICATIONS } from '../../common/project-settings.js'

export type VerificationName = (typeof VERIFICATIONS)[number]
export type TokenFormatName = (typeof TOKEN_FORMATS)[number]
export type TokenManagement = (typeof TOKEN_MANAGEMENTS)[number]
export type OnDuplicate = (typeof ON_DUPLICATES)[number]
export type AccountUpdaterSetting = (typeof ACCOUNT_UPDATER_SETTINGS)[number]

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
  /** A customer paying with a saved card must give its CVC (the frame asks for it). */
  requireCvcForSavedCards: boolean
  webhookUrl: string | null
  /** Seeds 000/001: a successful card payment with a customer_id saves its card without save_card. */
  tokenizeOnPurchase: boolean
  /** Seed 004: whether the account-updater job (and POST /v1/tokens/:token/refresh) serves this project. */
  accountUpdater: AccountUpdaterSetting
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
