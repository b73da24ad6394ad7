// Which encoding the vault answers a built script or stylesheet in, from Accept-Encoding.
import { describe, expect, it } from 'vitest'
import { chooseEncoding, type Encoding } from '../../../backend/http/static-asset.js'

const BOTH = new Set<Encoding>(['br', 'gzip'])

describe('chooseEncoding', () => {
  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, deflate', 'gzip'],
    ['br', 'br'],
    ['GZIP', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0.0, gzip;q=0.5', 'gzip'],
    ['br; q=0.001', 'br'],
    ['*', 'br'],
    ['*;q=0, gzip', 'gzip'],
    ['gzip;q=0, *', 'br'],
    ['br;q=0, gzip;q=0, *', null],
    ['identity', null],
    ['deflate, zstd', null],
    ['', null],
    [undefined, null],
    // A malformed weight is no weight: the coding counts as accepted.
    ['br;q=high', 'br'],
    [' , ;;, gzip ', 'gzip'],
  ])('answers %j with %s', (header, expected) => {
    expect(chooseEncoding(header, BOTH)).toBe(expected)
  })

  it('offers only the encodings the build wrote', () => {
    expect(chooseEncoding('br, gzip', new Set<Encoding>(['gzip']))).toBe('gzip')
    expect(chooseEncoding('br', new Set<Encoding>(['gzip']))).toBeNull()
    expect(chooseEncoding('br, gzip', new Set<Encoding>())).toBeNull()
  })
})
