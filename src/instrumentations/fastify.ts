// fastify: sets http.route from fastify's own route table and reports handler errors (onError hook).
// Hand-written (a few lines) because the maintained instrumentations, @fastify/otel and the deprecated instrumentation-fastify, pin older
// OpenTelemetry lines and would bring a second copy of the instrumentation base and its module hooks.
// fastify (4 and 5; 3.29 too) announces each instance on the `fastify.initialization` diagnostics channel;
// an onRequest hook then names the route on the HTTP server span's RPC metadata, which
// instrumentation-http uses for the span name and the http.route metric attribute.
import diagnostics from 'node:diagnostics_channel';
import type { ServerResponse } from 'node:http';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { InstrumentationSpec } from './types.js';
import { noteRequestError } from '../app-signals/request-errors.js';
import { otel } from '../sdk/otel.js';

interface FastifyRequestLike {
  routeOptions?: { url?: string };
  routerPath?: string;
}
interface FastifyReplyLike {
  raw?: ServerResponse;
}
interface FastifyLike {
  addHook(name: 'onRequest', hook: (req: FastifyRequestLike, reply: unknown, done: () => void) => void): void;
  addHook(name: 'onError', hook: (req: unknown, reply: FastifyReplyLike, error: unknown, done: () => void) => void): void;
}

class FastifyRouteInstrumentation implements Instrumentation {
  readonly instrumentationName = '@org/obs/fastify-route';
  readonly instrumentationVersion = '1';
  private enabled = false;
  private readonly onInit = (message: unknown): void => {
    const fastify = (message as { fastify?: FastifyLike }).fastify;
    if (!fastify || typeof fastify.addHook !== 'function') return;
    const { context } = otel('@opentelemetry/api');
    const { getRPCMetadata, RPCType } = otel('@opentelemetry/core');
    fastify.addHook('onRequest', (req, _reply, done) => {
      try {
        const route = req.routeOptions?.url ?? req.routerPath;
        const meta = getRPCMetadata(context.active());
        if (this.enabled && route && meta?.type === RPCType.HTTP) meta.route = route;
      } catch {
        // naming a route must never fail a request
      }
      done();
    });
    // Runs before the app's setErrorHandler too, so errors the app answers itself are seen (src/app-signals/request-errors.ts).
    fastify.addHook('onError', (_req, reply, error, done) => {
      if (this.enabled) noteRequestError(reply.raw, error);
      done();
    });
  };

  constructor() {
    this.enable();
  }
  enable(): void {
    if (this.enabled) return;
    this.enabled = true;
    diagnostics.subscribe('fastify.initialization', this.onInit);
  }
  disable(): void {
    this.enabled = false;
    diagnostics.unsubscribe('fastify.initialization', this.onInit);
  }
  setTracerProvider(): void {}
  setMeterProvider(): void {}
  setConfig(): void {}
  getConfig(): object {
    return {};
  }
}

export const fastify: InstrumentationSpec = {
  name: 'fastify',
  package: '@org/obs (built in)',
  modules: ['fastify'],
  create() {
    return new FastifyRouteInstrumentation();
  },
};
