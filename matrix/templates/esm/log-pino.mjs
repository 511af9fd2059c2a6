// Matrix fixture role "log": pino to stdout.
import pino from 'pino';

const logger = pino({ name: 'matrix' });

export function logInfo(message, fields) {
  logger.info(fields, message);
}
