// The key-custody plug point: wraps and unwraps the vault's own keys (data keys, project
// HMAC keys, JWE private keys). The local implementation uses a master key; a KMS can
// implement the same two calls.

export interface KeySource {
  /** Identifies the key that wraps new material (recorded beside each wrapped value). */
  readonly currentKeyId: string
  /** Wraps `plaintext`, binding `context` (what the key is for) as associated data. */
  wrap(plaintext: Uint8Array, context: string): Promise<string>
  /** Unwraps a value made by wrap() with the same context; throws if either was altered. */
  unwrap(wrapped: string, context: string): Promise<Uint8Array>
  /** The id of the key that wrapped a value. */
  keyIdOf(wrapped: string): string
}
