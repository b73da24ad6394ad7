// Verification strategies by setting name. `acquirer` joins with the acquirer client.
import type { VerificationName } from '../projects/project.js'
import { basicStrategy } from './basic.js'
import { noneStrategy } from './none.js'
import type { VerificationStrategy } from './strategy.js'

export type { CardToVerify, VerificationContext, VerificationResult, VerificationStrategy } from './strategy.js'

export type VerificationStrategies = Partial<Record<VerificationName, VerificationStrategy>>

export const builtInStrategies: VerificationStrategies = {
  none: noneStrategy,
  basic: basicStrategy,
}
