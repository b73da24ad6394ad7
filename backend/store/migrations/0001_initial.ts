// The vault's first schema: projects, keys, tokens, replay ids, idempotency records, audit log.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('projects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('allowed_origins', 'text', (c) => c.notNull())
    .addColumn('verification', 'text', (c) => c.notNull())
    .addColumn('token_format', 'text', (c) => c.notNull())
    .addColumn('token_management', 'text', (c) => c.notNull())
    .addColumn('on_duplicate', 'text', (c) => c.notNull())
    .addColumn('webhook_url', 'text')
    .addColumn('fingerprint_key', 'text', (c) => c.notNull())
    .addColumn('token_key', 'text', (c) => c.notNull())
    .addColumn('master_key_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute()

  await db.schema
    .createTable('jwe_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_wrapped', 'text', (c) => c.notNull())
    .addColumn('master_key_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retires_at', 'text')
    .execute()

  await db.schema
    .createTable('data_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('wrapped', 'text', (c) => c.notNull())
    .addColumn('master_key_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('data_keys_project').on('data_keys').columns(['project_id', 'mode', 'created_at']).execute()

  await db.schema
    .createTable('tokens')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('bin', 'text', (c) => c.notNull())
    .addColumn('last4', 'text', (c) => c.notNull())
    .addColumn('exp_month', 'integer', (c) => c.notNull())
    .addColumn('exp_year', 'integer', (c) => c.notNull())
    .addColumn('holder_name', 'text')
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('account_key', 'text')
    .addColumn('data_key_id', 'text')
    .addColumn('card_ciphertext', 'text')
    .addColumn('verification_strategy', 'text', (c) => c.notNull())
    .addColumn('verification_result', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('retention_extension_months', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retain_until', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .addPrimaryKeyConstraint('tokens_pk', ['project_id', 'mode', 'token'])
    .execute()
  // One token per card where the project manages one token per account: enforced by the
  // database, so concurrent tokenizations (and several processes) cannot both win.
  await db.schema.createIndex('tokens_account_key').on('tokens').columns(['project_id', 'mode', 'account_key']).unique().execute()
  await db.schema.createIndex('tokens_fingerprint').on('tokens').columns(['project_id', 'mode', 'fingerprint']).execute()
  await db.schema.createIndex('tokens_customer').on('tokens').columns(['project_id', 'mode', 'customer_id', 'created_at']).execute()
  await db.schema.createIndex('tokens_created').on('tokens').columns(['project_id', 'mode', 'created_at']).execute()
  await db.schema.createIndex('tokens_updated').on('tokens').columns(['project_id', 'mode', 'updated_at']).execute()
  await db.schema.createIndex('tokens_expiry').on('tokens').columns(['status', 'expires_at']).execute()
  await db.schema.createIndex('tokens_retention').on('tokens').columns(['retain_until']).execute()

  await db.schema
    .createTable('seen_jtis')
    .addColumn('jti', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('seen_jtis_expiry').on('seen_jtis').column('expires_at').execute()

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_pk', ['project_id', 'mode', 'key'])
    .execute()
  await db.schema.createIndex('idempotency_expiry').on('idempotency_keys').column('expires_at').execute()

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('token', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('audit_token').on('audit_log').columns(['project_id', 'mode', 'token', 'created_at']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['audit_log', 'idempotency_keys', 'seen_jtis', 'tokens', 'data_keys', 'jwe_keys', 'api_keys', 'projects']) {
    await db.schema.dropTable(table).execute()
  }
}
