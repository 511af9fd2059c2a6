// Matrix fixture role "log": pino to stdout.
'use strict';
const pino = require('pino');

const logger = pino({ name: 'matrix' });

module.exports = {
  logInfo(message, fields) {
    logger.info(fields, message);
  },
};
