// express and koa handler errors, seen where the framework first gets them (src/app-signals/request-errors.ts decides
// on the response whether they were server errors). Upstream's express and koa instrumentations record
// them on their own child spans only, and not at all when tracing is off, so the server span and the
// error counter need this: a prototype-level wrap, done once per module load.
import type { ServerResponse } from 'node:http';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { noteRequestError } from '../app-signals/request-errors.js';
import { otel } from '../sdk/otel.js';

const { InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } = otel('@opentelemetry/instrumentation');

type Next = (err?: unknown, ...rest: unknown[]) => unknown;
type Fn = (this: unknown, ...args: unknown[]) => unknown;

/** `'route'` and `'router'` are express's routing signals, not errors. */
function reportingNext(res: ServerResponse | undefined, next: Next): Next {
  return function (this: unknown, err?: unknown, ...rest: unknown[]) {
    if (err && err !== 'route' && err !== 'router') noteRequestError(res, err);
    return next.call(this, err, ...rest);
  };
}

abstract class FrameworkErrors extends InstrumentationBase {

  /** Layer.handleRequest(req, res, next) / handleError(err, req, res, next): next(err) carries every handler error. */
  private layerPatch(requestMethod: string, errorMethod: string) {
    return (exports: { prototype?: Record<string, unknown> }) => {
      const proto = exports?.prototype;
      if (!proto) return exports;
      const wrapAt = (nextIndex: number) => (original: Fn): Fn => function (this: unknown, ...args: unknown[]) {
        const res = args[nextIndex - 1] as ServerResponse | undefined;
        if (typeof args[nextIndex] === 'function') args[nextIndex] = reportingNext(res, args[nextIndex] as Next);
        return original.apply(this, args);
      };
      if (typeof proto[requestMethod] === 'function') this._wrap(proto, requestMethod, wrapAt(2) as never);
      if (typeof proto[errorMethod] === 'function') this._wrap(proto, errorMethod, wrapAt(3) as never);
      return exports;
    };
  }

  private layerUnpatch(requestMethod: string, errorMethod: string) {
    return (exports?: { prototype?: object }) => {
      if (!exports?.prototype) return;
      this._unwrap(exports.prototype as never, requestMethod as never);
      this._unwrap(exports.prototype as never, errorMethod as never);
    };
  }

  protected expressModules() {
    return [
      // express 4 keeps its router inside; express 5 uses the `router` package.
      new InstrumentationNodeModuleDefinition('express', ['>=4 <5'], undefined, undefined, [
        new InstrumentationNodeModuleFile('express/lib/router/layer.js', ['>=4 <5'], this.layerPatch('handle_request', 'handle_error'), this.layerUnpatch('handle_request', 'handle_error')),
      ]),
      new InstrumentationNodeModuleDefinition('router', ['>=2 <3'], undefined, undefined, [
        new InstrumentationNodeModuleFile('router/lib/layer.js', ['>=2 <3'], this.layerPatch('handleRequest', 'handleError'), this.layerUnpatch('handleRequest', 'handleError')),
      ]),
    ];
  }

  protected koaModules() {
    return [
      // koa: ctx.onerror is where every error that escapes the middleware ends, before koa answers it.
      new InstrumentationNodeModuleDefinition('koa', ['>=2 <4'], undefined, undefined, [
        new InstrumentationNodeModuleFile('koa/lib/context.js', ['>=2 <4'], (exports: Record<string, unknown>) => {
          if (typeof exports?.onerror === 'function') {
            this._wrap(exports, 'onerror', ((original: Fn): Fn => function (this: unknown, err?: unknown) {
              if (err !== null && err !== undefined) noteRequestError((this as { res?: ServerResponse }).res, err);
              return original.call(this, err);
            }) as never);
          }
          return exports;
        }, (exports?: Record<string, unknown>) => {
          if (exports) this._unwrap(exports as never, 'onerror' as never);
        }),
      ]),
    ];
  }
}

// init() runs inside the base constructor, before any field of ours exists: one subclass per framework.
class ExpressErrors extends FrameworkErrors {
  constructor() {
    super('@org/obs/express-errors', '1', {});
  }
  protected init() {
    return this.expressModules();
  }
}

class KoaErrors extends FrameworkErrors {
  constructor() {
    super('@org/obs/koa-errors', '1', {});
  }
  protected init() {
    return this.koaModules();
  }
}

export function frameworkErrors(framework: 'express' | 'koa'): Instrumentation {
  return framework === 'express' ? new ExpressErrors() : new KoaErrors();
}
