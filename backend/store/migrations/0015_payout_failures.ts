// Failed payouts (DESIGN.md: "Declined and failed payouts are recorded and announced"): why the
// acquirer refused a payout for good, beside the issuer's `decline_code` (docs/payments.md).
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  // Set only on a payout with status `failed`: the acquirer's code for its refusal.
  await db.schema.alterTable('payments').addColumn('failure_code', 'text').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('payments').dropColumn('failure_code').execute()
}
