// Matrix fixture role "log": winston 3 with a console transport.
import winston from 'winston';

const logger = winston.createLogger({ level: 'info', transports: [new winston.transports.Console()] });

export function logInfo(message, fields) {
  logger.info(message, fields);
}
