// Web frameworks: their instrumentations set http.route on the server span and metrics; ours report
// handler errors to the server span and http.server.errors.
import { createRequire } from 'node:module';
import type { InstrumentationSpec } from './types.js';
import { frameworkErrors } from './framework-errors.js';

const require = createRequire(import.meta.url);

export const express: InstrumentationSpec = {
  name: 'express',
  package: '@opentelemetry/instrumentation-express',
  modules: ['express'],
  create() {
    const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
    return [new ExpressInstrumentation(), frameworkErrors('express')];
  },
};

export const koa: InstrumentationSpec = {
  name: 'koa',
  package: '@opentelemetry/instrumentation-koa',
  modules: ['koa'],
  create() {
    const { KoaInstrumentation } = require('@opentelemetry/instrumentation-koa') as typeof import('@opentelemetry/instrumentation-koa');
    return [new KoaInstrumentation(), frameworkErrors('koa')];
  },
};
