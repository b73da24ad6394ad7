// Every migration, in order. A static map (rather than a folder scan) works the same under
// tsx, a bundle or compiled output.
import type { Migration } from 'kysely'
import * as initial from './0001_initial.js'
import * as events from './0002_events.js'
import * as payments from './0003_payments.js'
import * as customerSessions from './0004_customer_sessions.js'
import * as rateLimits from './0005_rate_limits.js'
import * as auditChain from './0007_audit_chain.js'
import * as management from './0010_management.js'
import * as paymentPages from './0012_payment_pages.js'
import * as threeDSecure from './0011_three_d_secure.js'
import * as requireCvc from './0013_require_cvc.js'
import * as tokenOperations from './0014_token_operations.js'
import * as payoutFailures from './0015_payout_failures.js'

export const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_events': events,
  '0003_payments': payments,
  '0004_customer_sessions': customerSessions,
  '0005_rate_limits': rateLimits,
  '0007_audit_chain': auditChain,
  '0010_management': management,
  '0012_payment_pages': paymentPages,
  '0011_three_d_secure': threeDSecure,
  '0013_require_cvc': requireCvc,
  '0014_token_operations': tokenOperations,
  '0015_payout_failures': payoutFailures,
}
