// The messages <tessera-card> and its frame exchange, their version, and the checks each side
// runs on arrival. Both bundles import this file; it imports nothing from either side.
import * as v from 'valibot'
import type { ErrorCode, ErrorType } from '../common/error-codes.js'

export type { ErrorCode, ErrorType }

/** Bumped on any incompatible change; both sides drop messages of another version. */
export const PROTOCOL_VERSION = 1

/** How long the element waits for the frame's port before giving up (DESIGN.md: 10 s). */
export const HANDSHAKE_TIMEOUT_MS = 10_000

export const FIELDS = ['number', 'expiry', 'cvc', 'name'] as const
export type Field = (typeof FIELDS)[number]

export const LOCALES = ['en', 'ro', 'de', 'fr', 'es', 'it', 'pl', 'nl'] as const

export const LAYOUTS = ['stacked', 'row'] as const
export type Layout = (typeof LAYOUTS)[number]
export type Locale = (typeof LOCALES)[number]

/** Picks a supported locale from a BCP 47 tag ("ro-RO" → "ro"), English otherwise. */
export function resolveLocale(tag: string | null | undefined): Locale {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0]
  return (LOCALES as readonly string[]).includes(primary ?? '') ? (primary as Locale) : 'en'
}

// ---------------------------------------------------------------------------------------------
// Styling: the only CSS the host can push into the frame is this allow-list of custom properties.

export const STYLE_PROPERTIES = [
  '--tessera-font-family',
  '--tessera-font-size',
  '--tessera-color',
  '--tessera-placeholder-color',
  '--tessera-background',
  '--tessera-border-color',
  '--tessera-border-radius',
  '--tessera-padding',
  '--tessera-focus-color',
  '--tessera-invalid-color',
] as const
export type StyleProperty = (typeof STYLE_PROPERTIES)[number]
export type FrameStyle = Partial<Record<StyleProperty, string>>

const MAX_STYLE_VALUE = 120

// Anything that could fetch a resource, escape the declaration or hide a token behind a CSS
// escape (`u\72l(` is `url(`) is refused outright rather than repaired.
const UNSAFE_STYLE_VALUE = /url\s*\(|image(?:-set)?\s*\(|src\s*\(|expression\s*\(|@import|javascript:|[;{}\\<>]|\/\*|[\u0000-\u001f\u007f]/i

/** A safe value for one allow-listed property, or null to drop it. */
export function sanitizeStyleValue(value: unknown): string | null {
  if (typeof value !== 'string') return null
  const trimmed = value.trim()
  if (trimmed.length === 0 || trimmed.length > MAX_STYLE_VALUE) return null
  return UNSAFE_STYLE_VALUE.test(trimmed) ? null : trimmed
}

/** Keeps allow-listed properties with safe values; everything else is dropped silently. */
export function sanitizeStyle(input: Record<string, unknown>): FrameStyle {
  const out: FrameStyle = {}
  for (const name of STYLE_PROPERTIES) {
    if (!Object.prototype.hasOwnProperty.call(input, name)) continue
    const safe = sanitizeStyleValue(input[name])
    if (safe !== null) out[name] = safe
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Handshake, over window.postMessage: the host says hello, the frame answers with a port
// (`connect`) or, from its error page, with the reason it cannot work (`fatal`).

const tagged = { tessera: v.literal(PROTOCOL_VERSION) }
const nonce = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{16,64}$/))

const ConnectSchema = v.strictObject({ ...tagged, type: v.literal('connect'), nonce })
/** The frame's script is running: the host says hello now rather than at the iframe's load event. */
const LoadedSchema = v.strictObject({ ...tagged, type: v.literal('loaded') })

/**
 * Error codes are the vault's closed set (common/error-codes.ts), typed as such. On arrival
 * only the shape is checked: a newer vault may add a code before this bundle knows it.
 */
const isShortName = (x: unknown) => typeof x === 'string' && x.length > 0 && x.length <= 64
export const errorCodeSchema = v.custom<ErrorCode>(isShortName)
export const errorTypeSchema = v.custom<ErrorType>(isShortName)

const ErrorSchema = v.object({
  type: errorTypeSchema,
  code: errorCodeSchema,
  message: v.pipe(v.string(), v.maxLength(500)),
  param: v.optional(v.pipe(v.string(), v.maxLength(64))),
  /** Why the field could not start, for the developer (`secret_key_in_browser`, `invalid_api_key`…). */
  reason: v.optional(v.pipe(v.string(), v.regex(/^[a-z_]{1,64}$/))),
})
export type ErrorPayload = v.InferOutput<typeof ErrorSchema>

const FatalSchema = v.strictObject({ ...tagged, type: v.literal('fatal'), nonce, error: ErrorSchema })

export type ConnectMessage = v.InferOutput<typeof ConnectSchema>
export type LoadedMessage = v.InferOutput<typeof LoadedSchema>
export type FatalMessage = v.InferOutput<typeof FatalSchema>

// ---------------------------------------------------------------------------------------------
// Host → frame, over the port.

const field = v.picklist(FIELDS)
const locale = v.picklist(LOCALES)

const ConfigureSchema = v.strictObject({
  type: v.literal('configure'),
  locale,
  disabled: v.boolean(),
  customerSession: v.nullable(v.pipe(v.string(), v.maxLength(1000))),
  /** `stacked` (number, then expiry and CVC, then name) or `row` (number, expiry and CVC on one line). */
  layout: v.optional(v.picklist(LAYOUTS), 'stacked'),
  // Sanitised again on arrival: the host page is not trusted to have done it.
  style: v.pipe(v.record(v.string(), v.string()), v.transform((style: Record<string, string>) => sanitizeStyle(style))),
})
// No customer or token value: the vault takes them from the customer session (configure).
const TokenizeSchema = v.strictObject({
  type: v.literal('tokenize'),
  id: v.pipe(v.number(), v.integer(), v.minValue(0)),
})
const FocusRequestSchema = v.strictObject({ type: v.literal('focus'), field })
const ClearSchema = v.strictObject({ type: v.literal('clear') })

/**
 * The host's hello carries its first configuration, so the frame can report ready in the same
 * breath as it hands over the port (one round trip fewer before tessera-ready).
 */
const HelloSchema = v.strictObject({ ...tagged, type: v.literal('hello'), nonce, configure: v.optional(ConfigureSchema) })
export type HelloMessage = v.InferOutput<typeof HelloSchema>

const HostMessageSchema = v.variant('type', [ConfigureSchema, TokenizeSchema, FocusRequestSchema, ClearSchema])
export type HostMessage = v.InferOutput<typeof HostMessageSchema>
export type ConfigureMessage = v.InferOutput<typeof ConfigureSchema>

// ---------------------------------------------------------------------------------------------
// Frame → host, over the port. Nothing here can hold what the customer typed: brand, flags,
// error codes and texts, heights, tokens and masked cards only.

const brand = v.pipe(v.string(), v.regex(/^[a-z-]{1,24}$/))
const FieldErrorSchema = v.strictObject({ code: errorCodeSchema, message: v.pipe(v.string(), v.maxLength(200)) })
export type FieldError = v.InferOutput<typeof FieldErrorSchema>

const CardStateSchema = v.strictObject({
  complete: v.boolean(),
  empty: v.boolean(),
  brand,
  /** True when a saved card is chosen instead of typed card details. */
  savedCard: v.boolean(),
  errors: v.strictObject({
    number: v.optional(FieldErrorSchema),
    expiry: v.optional(FieldErrorSchema),
    cvc: v.optional(FieldErrorSchema),
    name: v.optional(FieldErrorSchema),
  }),
})
export type CardState = v.InferOutput<typeof CardStateSchema>

const MaskedCardSchema = v.strictObject({
  brand,
  last4: v.pipe(v.string(), v.regex(/^\d{4}$/)),
  exp_month: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(12)),
  exp_year: v.pipe(v.number(), v.integer(), v.minValue(2000), v.maxValue(2999)),
})
export type MaskedCard = v.InferOutput<typeof MaskedCardSchema>

const ReadySchema = v.strictObject({ type: v.literal('ready'), savedCards: v.pipe(v.number(), v.integer(), v.minValue(0)) })
const ChangeSchema = v.strictObject({
  type: v.literal('change'),
  state: CardStateSchema,
  /** Localised text for the element's form validity while it holds no token. */
  validationMessage: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  /** The customer edited the card: a token issued before no longer matches what is shown. */
  edited: v.boolean(),
})
const FieldEventSchema = v.strictObject({ type: v.picklist(['focus', 'blur']), field })
const ResizeSchema = v.strictObject({ type: v.literal('resize'), height: v.pipe(v.number(), v.minValue(0), v.maxValue(5000)) })
const ResultSchema = v.variant('ok', [
  v.strictObject({
    type: v.literal('result'),
    id: v.number(),
    ok: v.literal(true),
    token: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
    card: MaskedCardSchema,
    /** A saved card's CVC, encrypted by the frame for the vault (a JWE bound to the token), when the project requires it. */
    cvc_token: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(15_000))),
  }),
  v.strictObject({ type: v.literal('result'), id: v.number(), ok: v.literal(false), error: ErrorSchema }),
])

/** A failure not tied to a tokenize call (saved cards could not be listed, for one). */
const FrameErrorSchema = v.strictObject({ type: v.literal('error'), error: ErrorSchema })

const FrameMessageSchema = v.variant('type', [ReadySchema, ChangeSchema, FieldEventSchema, ResizeSchema, ResultSchema, FrameErrorSchema])
export type FrameMessage = v.InferOutput<typeof FrameMessageSchema>
export type ResultMessage = v.InferOutput<typeof ResultSchema>

// ---------------------------------------------------------------------------------------------
// The checks: each returns the typed message or null, and never throws on hostile input.

function check<S extends v.GenericSchema>(schema: S, data: unknown): v.InferOutput<S> | null {
  const result = v.safeParse(schema, data)
  return result.success ? result.output : null
}

export const parseHello = (data: unknown): HelloMessage | null => check(HelloSchema, data)
export const parseConnect = (data: unknown): ConnectMessage | null => check(ConnectSchema, data)
export const parseLoaded = (data: unknown): LoadedMessage | null => check(LoadedSchema, data)
export const parseFatal = (data: unknown): FatalMessage | null => check(FatalSchema, data)
export const parseHostMessage = (data: unknown): HostMessage | null => check(HostMessageSchema, data)
export const parseFrameMessage = (data: unknown): FrameMessage | null => check(FrameMessageSchema, data)

/** A random handshake nonce: ties the frame's answer to this element's hello. */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18))
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_')
}
