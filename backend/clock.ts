// The vault's clock is the shared one (common/clock.ts), which the sandbox acquirer uses too.
export * from '../common/clock.js'
