import pino from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs on stdout; `LOG_LEVEL=silent` (the default under jest) keeps tests quiet. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'merchant-registry' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', '*.consumerPhone', '*.consumerName'], censor: '[redacted]' },
  });
}
