// The vault's documented test card numbers (test mode accepts only these, live mode refuses
// them), for a merchant's test suite or a demo's help page.
export { DOCUMENTED_TEST_CARDS } from '../verification/test-cards.js'
