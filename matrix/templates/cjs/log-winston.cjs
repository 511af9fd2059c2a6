// Matrix fixture role "log": winston 3 with a console transport.
'use strict';
const winston = require('winston');

const logger = winston.createLogger({ level: 'info', transports: [new winston.transports.Console()] });

module.exports = {
  logInfo(message, fields) {
    logger.info(message, fields);
  },
};
