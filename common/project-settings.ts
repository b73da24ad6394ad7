// The values a project's settings take (DESIGN.md, "Management API"): the vault checks them
// (backend/projects/project.ts), and the published client (`@tessera/node`) exports them for a
// merchant's or an operator's tooling, as the demo shop's provisioning uses them.
export const VERIFICATIONS = ['none', 'basic', 'acquirer'] as const
export const TOKEN_FORMATS = ['random', 'deterministic', 'luhn', 'preserve-6.4', 'merchant'] as const
export const TOKEN_MANAGEMENTS = ['unique-token', 'unique-account'] as const
export const ON_DUPLICATES = ['return', 'error'] as const
export const ACCOUNT_UPDATER_SETTINGS = ['on', 'off'] as const
