// The management API: restricted, rolled and deleted keys (permissions, expiry, last use, last
// four), the projects' display name, and the admin keys that manage projects over HTTP.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  for (const column of ['name', 'permissions', 'last4', 'expires_at', 'last_used_at']) {
    await db.schema.alterTable('api_keys').addColumn(column, 'text').execute()
  }
  await db.schema.createIndex('api_keys_project').on('api_keys').columns(['project_id', 'created_at']).execute()
  await db.schema.alterTable('projects').addColumn('display_name', 'text').execute()
  await db.schema.createIndex('projects_created').on('projects').columns(['created_at', 'id']).execute()

  await db.schema
    .createTable('admin_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('last4', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('last_used_at', 'text')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('admin_keys').execute()
  await db.schema.dropIndex('projects_created').execute()
  await db.schema.alterTable('projects').dropColumn('display_name').execute()
  await db.schema.dropIndex('api_keys_project').execute()
  for (const column of ['name', 'permissions', 'last4', 'expires_at', 'last_used_at']) {
    await db.schema.alterTable('api_keys').dropColumn(column).execute()
  }
}
