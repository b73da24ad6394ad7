#!/usr/bin/env node
// The `tessera` command: loads the TypeScript sources through tsx, then runs the CLI.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../backend/cli.ts')
await main(process.argv.slice(2))
