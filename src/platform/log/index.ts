import { pino } from 'pino';

export type Logger = pino.Logger;

/** JSON logs on stdout; secrets never reach them because the paths below are redacted. */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: bindings,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'headers.cookie',
        '*.password',
        '*.secret',
        '*.token',
        '*.refreshToken',
      ],
      censor: '[redacted]',
    },
  });
}

export const silentLogger: Logger = pino({ level: 'silent' });
