// Matrix fixture role "log": bunyan to stdout.
import bunyan from 'bunyan';

const logger = bunyan.createLogger({ name: 'matrix' });

export function logInfo(message, fields) {
  logger.info(fields, message);
}
