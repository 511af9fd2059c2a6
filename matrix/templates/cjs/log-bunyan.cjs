// Matrix fixture role "log": bunyan to stdout.
'use strict';
const bunyan = require('bunyan');

const logger = bunyan.createLogger({ name: 'matrix' });

module.exports = {
  logInfo(message, fields) {
    logger.info(fields, message);
  },
};
