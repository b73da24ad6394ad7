// Verification strategies by setting name; `acquirer` needs the vault's acquirer client.
import type { AcquirerClient } from '../acquirer/client.js'
import type { VerificationName } from '../projects/project.js'
import { acquirerStrategy } from './acquirer.js'
import { basicStrategy } from './basic.js'
import { noneStrategy } from './none.js'
import type { VerificationStrategy } from './strategy.js'

export type { CardToVerify, VerificationContext, VerificationResult, VerificationStrategy } from './strategy.js'

export type VerificationStrategies = Partial<Record<VerificationName, VerificationStrategy>>

export function builtInStrategies(acquirer: AcquirerClient): VerificationStrategies {
  return { none: noneStrategy, basic: basicStrategy, acquirer: acquirerStrategy(acquirer) }
}
