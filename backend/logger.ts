// The vault logs through the shared redacting logger (common/logger.ts); its level comes from
// Config.logLevel (TESSERA_LOG_LEVEL, checked in config.ts).
export { createLogger, LOG_LEVELS, scrub, scrubValues, type Logger, type LoggerOptions, type LogLevel } from '../common/logger.js'
