// Kysely table types: the one description of what the database holds (the payment tables are
// in payment-tables.ts, re-exported here). Timestamps are ISO-8601 UTC strings and binary values
// base64 text, so SQLite and PostgreSQL take the same queries.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { PaymentActionTable, PaymentPageTable, PaymentTable } from './payment-tables.js'

export type * from './payment-tables.js'

export type Mode = 'test' | 'live'
export type TokenStatus = 'active' | 'revoked' | 'expired' | 'invalid' | 'deleted'

export interface ProjectTable {
  id: string
  name: string
  /** JSON array of allowed origins. */
  allowed_origins: string
  verification: string
  token_format: string
  token_management: string
  on_duplicate: string
  /** 0 or 1: a customer paying with a saved card must give its CVC. */
  require_cvc_for_saved_cards: number
  webhook_url: string | null
  /** The name shoppers see (hosted payment page); null shows `name`. */
  display_name: string | null
  /** 1: a card payment with a customer_id saves its card without save_card (migration 0014). */
  tokenize_on_purchase: ColumnType<number, number | undefined, number>
  /** `on` or `off`: whether the account-updater job updates this project's tokens. */
  account_updater: ColumnType<string, string | undefined, string>
  /** Per-project HMAC keys, wrapped by the key source. */
  fingerprint_key: string
  token_key: string
  master_key_id: string
  created_at: string
}

export interface ApiKeyTable {
  id: string
  project_id: string
  mode: Mode
  kind: 'publishable' | 'secret' | 'restricted'
  /** A label the merchant chose (restricted keys), else null. */
  name: string | null
  /** JSON array of permissions, restricted keys only. */
  permissions: string | null
  /** SHA-256 of the whole key: keys are 190-bit random strings, so a fast hash suffices. */
  key_hash: string
  prefix: string
  /** The key's last four characters, to tell keys apart in a list; null for keys made before 0010. */
  last4: string | null
  created_at: string
  /** Set when the key was rolled: it stops working then. */
  expires_at: string | null
  /** Written at most once a minute per key and process (see projects/key-usage.ts). */
  last_used_at: string | null
  /** Set when the key was deleted: it stops working at once. */
  revoked_at: string | null
}

/** Keys that manage projects over HTTP (`tessera admin-key create`); stored hashed. */
export interface AdminKeyTable {
  id: string
  key_hash: string
  prefix: string
  last4: string
  created_at: string
  revoked_at: string | null
  last_used_at: string | null
}

/** A key ring's table: the JWE keys (ECDH-ES) and the webhook signing keys (ES256) share its columns. */
export interface KeyTable {
  kid: string
  public_jwk: string
  private_wrapped: string
  master_key_id: string
  status: 'active' | 'retiring' | 'retired'
  created_at: string
  retires_at: string | null
}

export interface DataKeyTable {
  id: string
  project_id: string
  mode: Mode
  wrapped: string
  master_key_id: string
  created_at: string
}

export interface TokenTable {
  project_id: string
  mode: Mode
  token: string
  status: TokenStatus
  customer_id: string | null
  brand: string
  bin: string
  last4: string
  exp_month: number
  exp_year: number
  holder_name: string | null
  fingerprint: string
  /** The fingerprint while the project manages one token per account and the token holds it, else null. */
  account_key: string | null
  data_key_id: string | null
  /** AES-256-GCM sealed card number; null once the token is deleted. */
  card_ciphertext: string | null
  verification_strategy: string
  verification_result: string
  created_at: string
  updated_at: string
  last_used_at: string | null
  expires_at: string
  retention_extension_months: number
  retain_until: string
  deleted_at: string | null
  /** Who changed the token last: `merchant`, `customer`, `account_updater`, or null (migration 0014). */
  last_updated_by: ColumnType<TokenUpdater | null, TokenUpdater | null | undefined, TokenUpdater | null>
  /** The network transaction id of the first customer-initiated recurring payment (seed 003). */
  network_transaction_id: ColumnType<string | null, string | null | undefined, string | null>
}

export type TokenUpdater = 'merchant' | 'customer' | 'account_updater'

export interface SeenJtiTable {
  jti: string
  expires_at: string
}

export interface IdempotencyTable {
  project_id: string
  mode: Mode
  /** The API key that sent the Idempotency-Key: a browser's key never answers a server's request. */
  key_id: string
  key: string
  request_hash: string
  state: 'pending' | 'done'
  response_status: number | null
  response_body: string | null
  created_at: string
  expires_at: string
}

/** A customer session: what the merchant's server bound for the browser, under a hashed secret. */
export interface CustomerSessionTable {
  /** SHA-256 of the client secret, hex. */
  secret_hash: string
  project_id: string
  mode: Mode
  customer_id: string | null
  /** A merchant-format token value the browser may tokenize under. */
  token: string | null
  /** The secret key that created the session. */
  key_id: string
  created_at: string
  expires_at: string
}

/** The audit chain: one hash-linked chain of events per project and mode (backend/audit/chain.ts). */
export interface AuditTable {
  id: string
  project_id: string
  mode: Mode
  token: string | null
  /** The payment or payout that used the token's card. */
  payment: string | null
  action: string
  /** `key:<key id>` or `system:<job>`. */
  actor: string
  request_id: string | null
  created_at: string
  /** Position in the chain, from 1; unique per project and mode (bigint: read through Number()). */
  seq: ColumnType<number | string, number, number>
  prev_hash: string
  hash: string
}

/** Each chain's last position and hash; its row lock serializes appends on PostgreSQL. */
export interface AuditHeadTable {
  project_id: string
  mode: Mode
  seq: ColumnType<number | string, number, number>
  hash: string
}

export type EventDeliveryStatus = 'pending' | 'delivered' | 'failed' | 'skipped'

/** The webhook outbox: one row per event, written in the transaction of the change it tells of. */
export interface EventTable {
  id: string
  project_id: string
  mode: Mode
  type: string
  /** The exact JSON body every delivery sends (and signs). */
  payload: string
  created_at: string
  delivery_status: EventDeliveryStatus
  attempts: number
  next_attempt_at: string | null
  /** Automatic retries stop after this instant (three days after creation or a redelivery). */
  deliver_until: string
  /** The dispatcher claim that holds the event, and until when; an expired lease is free to take. */
  lease_owner: string | null
  lease_expires_at: string | null
  last_attempt_at: string | null
  last_response_status: number | null
  last_error: string | null
  delivered_at: string | null
}

/** Small named values jobs keep between runs (the account updater's cursor). */
export interface JobStateTable {
  name: string
  value: string
  updated_at: string
}

/** A rate-limit bucket (GCRA): times in milliseconds since the epoch. */
export interface RateLimitBucketTable {
  key: string
  tat: number
  ok: number
  updated_at: number
  emission_ms: number
  tolerance_ms: number
}

export interface Database {
  projects: ProjectTable
  api_keys: ApiKeyTable
  admin_keys: AdminKeyTable
  jwe_keys: KeyTable
  data_keys: DataKeyTable
  tokens: TokenTable
  seen_jtis: SeenJtiTable
  idempotency_keys: IdempotencyTable
  customer_sessions: CustomerSessionTable
  audit_log: AuditTable
  audit_heads: AuditHeadTable
  events: EventTable
  webhook_keys: KeyTable
  payments: PaymentTable
  payment_actions: PaymentActionTable
  job_state: JobStateTable
  rate_limit_buckets: RateLimitBucketTable
  payment_pages: PaymentPageTable
}

export type ProjectRow = Selectable<ProjectTable>
export type TokenRow = Selectable<TokenTable>
export type NewToken = Insertable<TokenTable>
export type TokenUpdate = Updateable<TokenTable>
export type ApiKeyRow = Selectable<ApiKeyTable>
export type CustomerSessionRow = Selectable<CustomerSessionTable>
export type EventRow = Selectable<EventTable>
export type PaymentRow = Selectable<PaymentTable>
export type NewPayment = Insertable<PaymentTable>
export type PaymentPageRow = Selectable<PaymentPageTable>
export type PaymentActionRow = Selectable<PaymentActionTable>
// Generated is re-exported for tables that later gain database-filled columns.
export type { Generated }
