// Web frameworks: their instrumentations set http.route on the server span and metrics; ours report
// handler errors to the server span and http.server.errors.
import type { InstrumentationSpec } from './types.js';
import { frameworkErrors } from './framework-errors.js';
import { otel } from '../sdk/otel.js';

export const express: InstrumentationSpec = {
  name: 'express',
  package: '@opentelemetry/instrumentation-express',
  modules: ['express'],
  create() {
    const { ExpressInstrumentation } = otel('@opentelemetry/instrumentation-express');
    return [new ExpressInstrumentation(), frameworkErrors('express')];
  },
};

export const koa: InstrumentationSpec = {
  name: 'koa',
  package: '@opentelemetry/instrumentation-koa',
  modules: ['koa'],
  create() {
    const { KoaInstrumentation } = otel('@opentelemetry/instrumentation-koa');
    return [new KoaInstrumentation(), frameworkErrors('koa')];
  },
};
