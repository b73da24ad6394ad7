// The `tessera` command as a real process: --version, --help on every command, usage errors
// (exit 2), admin keys, and the project and API key commands over the same data folder.
import { describe, expect, it } from 'vitest'
import { buildProgram } from '../../../backend/cli.js'
import { runTessera } from '../../helpers/processes.js'
import { tempDir } from '../../helpers/vault.js'
import type { Command } from 'commander'

const dataDir = tempDir('tessera-cli-manage-')

function leafPaths(command: Command, prefix: string[] = []): string[][] {
  const subs = command.commands.filter((c) => c.name() !== 'help')
  if (subs.length === 0) return [prefix]
  return [prefix, ...subs.flatMap((c) => leafPaths(c, [...prefix, c.name()]))]
}

describe('tessera --version and --help', () => {
  it('prints the package version', async () => {
    const out = await runTessera(['--version'])
    expect(out.code).toBe(0)
    expect(out.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it('answers --help on every command, and documents --data on every command that opens the vault', async () => {
    const program = buildProgram()
    const paths = leafPaths(program).filter((p) => p.length > 0)
    expect(paths.map((p) => p.join(' '))).toEqual(expect.arrayContaining(['project create', 'project update', 'api-key roll', 'admin-key create', 'keys rotate', 'serve', 'start']))
    const commandAt = (path: string[]) => path.reduce((c, name) => c.commands.find((s) => s.name() === name) as Command, program)
    for (const path of paths) {
      const command = commandAt(path)
      const help = command.helpInformation()
      expect(help, path.join(' ')).toContain(`Usage: tessera ${path.join(' ')}`)
      const opensVault = command.commands.length === 0 && !['demo', 'acquirer'].includes(path.join(' '))
      if (opensVault) expect(help, path.join(' ')).toContain('--data <dir>')
    }
    // And as users run it, a few of them.
    for (const path of [['project', 'create'], ['api-key', 'roll'], ['admin-key', 'create']]) {
      const out = await runTessera([...path, '--help'])
      expect(out.code).toBe(0)
      expect(out.stdout).toContain(`Usage: tessera ${path.join(' ')}`)
      expect(out.stdout).toContain('--data <dir>')
    }
  }, 120_000)

  it('refuses unknown flags, unknown commands and bad values with the usage and exit code 2', async () => {
    for (const args of [['project', 'create', '--name', 'X', '--origin', 'https://a.example', '--colour', 'red'], ['serve', '--port', 'eighty'], ['frobnicate'], ['api-key', 'roll', 'key_x', '--project', 'p', '--expires-in-hours', '169'], ['api-key', 'create', '--project', 'p', '--mode', 'prod', '--permission', 'tokens:read']]) {
      const out = await runTessera([...args, '--data', dataDir])
      expect(out.code, args.join(' ')).toBe(2)
      expect(out.stderr, args.join(' ')).toContain('Usage: tessera')
    }
  }, 120_000)
})

describe('projects and keys from the command line', () => {
  it('normalises origins, updates settings, and makes, rolls and deletes keys', async () => {
    const created = await runTessera(['project', 'create', '--name', 'Cli', '--origin', 'HTTPS://Shop.Example/', '--display-name', 'Cli Shop', '--json', '--data', dataDir])
    expect(created.code).toBe(0)
    const { project_id: id } = JSON.parse(created.stdout)
    const shown = JSON.parse((await runTessera(['project', 'show', id, '--json', '--data', dataDir])).stdout)
    expect(shown).toMatchObject({ object: 'project', id, allowed_origins: ['https://shop.example'], display_name: 'Cli Shop' })

    const updated = await runTessera(['project', 'update', id, '--origin', 'https://new.example/', '--origin', 'http://localhost:3000', '--verification', 'none', '--json', '--data', dataDir])
    expect(updated.code).toBe(0)
    expect(JSON.parse(updated.stdout)).toMatchObject({ allowed_origins: ['https://new.example', 'http://localhost:3000'], verification: 'none' })
    const bad = await runTessera(['project', 'update', id, '--origin', 'https://new.example/checkout', '--data', dataDir])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('is not an origin')
    expect((await runTessera(['project', 'show', 'proj_AAAAAAAAAAAAAAAA', '--data', dataDir])).code).toBe(1)
    const listed = JSON.parse((await runTessera(['project', 'list', '--json', '--data', dataDir])).stdout)
    expect(listed.map((p: any) => p.id)).toContain(id)

    const rk = await runTessera(['api-key', 'create', '--project', id, '--mode', 'test', '--permission', 'tokens:read', '--permission', 'events:read', '--json', '--data', dataDir])
    expect(rk.code).toBe(0)
    const restricted = JSON.parse(rk.stdout)
    expect(restricted).toMatchObject({ object: 'api_key', kind: 'restricted', permissions: ['tokens:read', 'events:read'] })
    expect(restricted.secret).toMatch(/^rk_test_/)
    const rolled = JSON.parse((await runTessera(['api-key', 'roll', restricted.id, '--project', id, '--expires-in-hours', '0', '--json', '--data', dataDir])).stdout)
    expect(rolled.secret).toMatch(/^rk_test_/)
    const keys = JSON.parse((await runTessera(['api-key', 'list', '--project', id, '--json', '--data', dataDir])).stdout)
    expect(keys.map((k: any) => k.id)).toContain(rolled.id)
    expect(keys.map((k: any) => k.id)).not.toContain(restricted.id)
    expect(JSON.stringify(keys)).not.toContain(rolled.secret)
    expect((await runTessera(['api-key', 'delete', rolled.id, '--project', id, '--data', dataDir])).code).toBe(0)
    expect((await runTessera(['api-key', 'delete', rolled.id, '--project', id, '--data', dataDir])).code).toBe(1)
  }, 120_000)

  it('makes an admin key, printed once, lists it without its secret and revokes it', async () => {
    const out = await runTessera(['admin-key', 'create', '--json', '--data', dataDir])
    expect(out.code).toBe(0)
    const key = JSON.parse(out.stdout)
    expect(key.secret).toMatch(/^ak_[0-9A-Za-z]{40}$/)
    expect(key.id).toMatch(/^ak_/)
    const listed = JSON.parse((await runTessera(['admin-key', 'list', '--json', '--data', dataDir])).stdout)
    expect(listed.map((k: any) => k.id)).toContain(key.id)
    expect(JSON.stringify(listed)).not.toContain(key.secret)
    expect((await runTessera(['admin-key', 'revoke', key.id, '--data', dataDir])).code).toBe(0)
    expect((await runTessera(['admin-key', 'revoke', key.id, '--data', dataDir])).code).toBe(1)
    const after = JSON.parse((await runTessera(['admin-key', 'list', '--json', '--data', dataDir])).stdout)
    expect(after.map((k: any) => k.id)).not.toContain(key.id)
  }, 60_000)
})
