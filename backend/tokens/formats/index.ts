// The token formats by setting name: the only place that maps the name to an implementation.
import type { TokenFormatName } from '../../projects/project.js'
import { deterministicFormat } from './deterministic.js'
import type { TokenFormat } from './format.js'
import { luhnFormat } from './luhn.js'
import { merchantFormat } from './merchant.js'
import { preserve64Format } from './preserve-6-4.js'
import { randomFormat } from './random.js'

export type { TokenFormat, TokenFormatInput } from './format.js'

export const tokenFormats: Record<TokenFormatName, TokenFormat> = {
  random: randomFormat,
  deterministic: deterministicFormat,
  luhn: luhnFormat,
  'preserve-6.4': preserve64Format,
  merchant: merchantFormat,
}
