// Matrix fixture role "app telemetry", none: the app has no OpenTelemetry code of its own.
'use strict';

function placeOrder(work) {
  return work();
}

module.exports = { placeOrder };
