// Matrix fixture role "log": no logging library.
'use strict';
module.exports = { logInfo() {} };
