// The demo's projects, one per combination of repository settings worth seeing side by side,
// and the file that holds their test keys (written by `npm start` in the data folder, mode
// 0600; read by the shop, which is the only holder of the secret keys besides that file).
import fs from 'node:fs'
import path from 'node:path'
import * as v from 'valibot'
import { ON_DUPLICATES, TOKEN_FORMATS, TOKEN_MANAGEMENTS, VERIFICATIONS } from '../../packages/node/index.js'

export const DEMO_PROJECTS_FILE = 'demo-projects.json'

const settingsSchema = v.strictObject({
  verification: v.picklist(VERIFICATIONS),
  token_format: v.picklist(TOKEN_FORMATS),
  token_management: v.picklist(TOKEN_MANAGEMENTS),
  on_duplicate: v.picklist(ON_DUPLICATES),
})

export type DemoProjectSettings = v.InferOutput<typeof settingsSchema>

export interface DemoProjectDefinition {
  /** Stable short name: the shop's cookie and the Settings page use it. */
  name: string
  label: string
  /** What a shopper should notice about the next token under these settings. */
  effect: string
  settings: DemoProjectSettings
}

export const DEMO_PROJECTS: readonly DemoProjectDefinition[] = Object.freeze([
  {
    name: 'default',
    label: 'Everyday shop',
    effect: 'Basic checks (Luhn, brand, length, expiry, CVC length). Every tokenization issues a new random 64-hex token, even for the same card.',
    settings: { verification: 'basic', token_format: 'random', token_management: 'unique-token', on_duplicate: 'return' },
  },
  {
    name: 'verified',
    label: 'Acquirer-verified, one token per card',
    effect: 'Each new card gets a zero-amount authorization at the sandbox acquirer, so a decline card is refused before it becomes a token. The same card again returns its existing token.',
    settings: { verification: 'acquirer', token_format: 'random', token_management: 'unique-account', on_duplicate: 'return' },
  },
  {
    name: 'deterministic',
    label: 'Deterministic tokens',
    effect: 'The token is a keyed one-way function of number and expiry (66 hex): the same card and expiry always give the same token in this project, and another token in any other project.',
    settings: { verification: 'basic', token_format: 'deterministic', token_management: 'unique-token', on_duplicate: 'return' },
  },
  {
    name: 'luhn',
    label: 'Luhn tokens, no verification',
    effect: 'No checks beyond the test-mode card list. Tokens are 16 digits starting with 9 that pass Luhn but match no card range: they fit legacy systems that expect a card-shaped value.',
    settings: { verification: 'none', token_format: 'luhn', token_management: 'unique-token', on_duplicate: 'return' },
  },
  {
    name: 'format-preserving',
    label: 'Format-preserving, duplicates refused',
    effect: 'The token keeps the first six and last four digits (never a valid card number). A card that already has a token is refused with 409 instead of being returned.',
    settings: { verification: 'basic', token_format: 'preserve-6.4', token_management: 'unique-account', on_duplicate: 'error' },
  },
])

export const definitionOf = (name: string): DemoProjectDefinition | undefined => DEMO_PROJECTS.find((d) => d.name === name)

const keyPair = v.strictObject({
  publishable_key: v.pipe(v.string(), v.regex(/^pk_test_[0-9A-Za-z]{32}$/)),
  secret_key: v.pipe(v.string(), v.regex(/^sk_test_[0-9A-Za-z]{32}$/)),
})

const recordSchema = v.strictObject({
  name: v.string(),
  label: v.string(),
  project_id: v.string(),
  allowed_origins: v.array(v.string()),
  webhook_url: v.string(),
  settings: settingsSchema,
  test: keyPair,
})

const fileSchema = v.strictObject({ version: v.literal(1), projects: v.array(recordSchema) })

export type DemoProjectRecord = v.InferOutput<typeof recordSchema>
export type DemoProjectsFile = v.InferOutput<typeof fileSchema>

/** The file's content, or null when it is missing or not a file this version wrote. */
export function readDemoProjectsFile(file: string): DemoProjectsFile | null {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    return null
  }
  try {
    const parsed = v.safeParse(fileSchema, JSON.parse(text))
    return parsed.success ? parsed.output : null
  } catch {
    return null
  }
}

/** Writes atomically (a reader never sees half a file) and readable by the owner only. */
export function writeDemoProjectsFile(file: string, content: DemoProjectsFile): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`)
  fs.writeFileSync(temp, JSON.stringify(content, null, 2) + '\n', { mode: 0o600 })
  fs.chmodSync(temp, 0o600)
  fs.renameSync(temp, file)
}

/** One line for a project's settings, as the Settings page and `npm start` print them. */
export const describeSettings = (s: DemoProjectSettings): string =>
  `${s.verification} · ${s.token_format} · ${s.token_management}${s.token_management === 'unique-account' ? ` (on duplicate: ${s.on_duplicate})` : ''}`
