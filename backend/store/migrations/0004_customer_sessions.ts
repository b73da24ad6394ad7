// Customer sessions are stored (hashed secret, what they bind), and idempotency records are
// scoped by the API key too, so a publishable key's Idempotency-Key never answers or blocks a
// secret key's request.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('customer_sessions')
    // SHA-256 of the client secret: the secret itself is shown once and never stored.
    .addColumn('secret_hash', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('token', 'text')
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('customer_sessions_expiry').on('customer_sessions').column('expires_at').execute()

  // The primary key gains key_id: SQLite cannot change a primary key in place, so the table is
  // built anew. Records made before carry no key; they go to the mode's oldest secret key (only
  // servers send Idempotency-Key in practice), so a retry across the upgrade still replays.
  await db.schema
    .createTable('idempotency_keys_v4')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_v4_pk', ['project_id', 'mode', 'key_id', 'key'])
    .execute()
  await sql`insert into idempotency_keys_v4 (project_id, mode, key_id, key, request_hash, state, response_status, response_body, created_at, expires_at)
    select i.project_id, i.mode,
      coalesce((select a.id from api_keys a where a.project_id = i.project_id and a.mode = i.mode and a.kind = 'secret' order by a.created_at, a.id limit 1), ''),
      i.key, i.request_hash, i.state, i.response_status, i.response_body, i.created_at, i.expires_at
    from idempotency_keys i`.execute(db)
  await db.schema.dropTable('idempotency_keys').execute()
  await db.schema.alterTable('idempotency_keys_v4').renameTo('idempotency_keys').execute()
  await db.schema.dropIndex('idempotency_expiry').ifExists().execute()
  await db.schema.createIndex('idempotency_expiry').on('idempotency_keys').column('expires_at').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('customer_sessions').execute()
  await db.schema.dropTable('idempotency_keys').execute()
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
}
