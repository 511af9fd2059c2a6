// The OTel context manager: one AsyncLocalStorage whose store is the OTel Context itself, and event
// emitters bound by recording their context on them, never by patching each instance's methods.
//
// Why not @opentelemetry/context-async-hooks: its bind(ctx, emitter) replaces 8 methods of the emitter
// and wraps every later listener in a closure, 2.4–5 µs per emitter, and instrumentation-http binds two
// per request (../shared/reference/performance-research.md, Q2). Here bind() stores the context under a
// symbol; the emitters whose events Node fires from another async context (a body arriving in a later
// TCP packet, 'finish'/'close' from the socket) get one wrap of `emit` on their prototype, which runs
// the listeners in the recorded context. Any other emitter gets one own `emit` wrapper, once.
//
// Cost of the prototype wrap, measured on an IncomingMessage with one listener (Node 24.22, this 2-core
// box at load average 13-16, medians of 7 rounds of 1e6 emits; script in the serverspan branch report):
// plain emit 5 ns; wrapped with no recorded context 35 ns; context recorded but nobody listening 28 ns;
// recorded and already active 50 ns; recorded and another context active (the als.run switch) ~1.9 µs,
// the same AsyncLocalStorage.run upstream pays per bound listener call. Binding itself is a field write:
// record the context + 2 listeners 0.7 µs against upstream's bind(ctx, emitter) + 2 listeners 35-53 µs
// at the same load (2.4-5 µs on a quiet machine, ../shared/reference/performance-research.md Q2).
import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Context, ContextManager } from '@opentelemetry/api';
import { LinkedContext } from './linked-context.js';

/** The context an emitter's events run in, set by bind() (and by our server span on req/res). */
export const EMITTER_CONTEXT: unique symbol = Symbol.for('@org/obs.emitter-context');
const OWN_EMIT = Symbol.for('@org/obs.own-emit');

type Emit = (this: EventEmitter, event: string | symbol, ...args: unknown[]) => boolean;
interface ContextEmitter extends EventEmitter {
  [EMITTER_CONTEXT]?: Context;
  _events?: Record<string | symbol, unknown>;
}

/** Emitters Node itself fires from the socket's context; their prototypes are wrapped once. */
const PROTOTYPES: readonly object[] = [IncomingMessage.prototype, ServerResponse.prototype, ClientRequest.prototype];

export class ObsContextManager implements ContextManager {
  private readonly als = new AsyncLocalStorage<Context>();
  private readonly unwraps: Array<() => void> = [];

  /** With nothing active, our empty context: what is derived from it is linked, not copied (linked-context.ts). */
  active(): Context {
    return this.als.getStore() ?? LinkedContext.ROOT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    const cb = thisArg === undefined || thisArg === null ? fn : (fn.bind(thisArg) as F);
    return this.als.run(ctx, cb, ...args);
  }

  /** Makes `ctx` the active context for the rest of this synchronous run and what it schedules. */
  enterWith(ctx: Context): void {
    this.als.enterWith(ctx);
  }

  bind<T>(ctx: Context, target: T): T {
    if (typeof target === 'function') return this.bindFunction(ctx, target as unknown as (...a: unknown[]) => unknown) as T;
    if (target instanceof EventEmitter) this.bindEmitter(ctx, target as ContextEmitter);
    return target;
  }

  enable(): this {
    if (this.unwraps.length > 0) return this;
    for (const proto of PROTOTYPES) this.wrapEmit(proto as ContextEmitter);
    return this;
  }

  disable(): this {
    for (const undo of this.unwraps.splice(0)) undo();
    this.als.disable();
    return this;
  }

  private bindFunction(ctx: Context, fn: (...a: unknown[]) => unknown): (...a: unknown[]) => unknown {
    // Callers (and upstream tests) read .length of what they bound, like upstream's manager keeps it:
    // a wrapper of the same arity for 0-4 parameters, else one whose length is redefined.
    const make = BOUND_BY_ARITY[fn.length];
    if (make) return make(this.als, ctx, fn);
    const bound = BOUND_BY_ARITY[0](this.als, ctx, fn);
    Object.defineProperty(bound, 'length', { enumerable: false, configurable: true, writable: false, value: fn.length });
    return bound;
  }

  private bindEmitter(ctx: Context, emitter: ContextEmitter): void {
    emitter[EMITTER_CONTEXT] = ctx;
    if (PROTOTYPES.some((p) => p.isPrototypeOf(emitter)) || Object.prototype.hasOwnProperty.call(emitter, OWN_EMIT)) return;
    // Not an emitter Node fires from elsewhere that we know of: one own emit wrapper, installed once.
    const own = emitter.emit as Emit;
    Object.defineProperty(emitter, OWN_EMIT, { value: true });
    emitter.emit = this.contextEmit(own);
  }

  private wrapEmit(proto: ContextEmitter): void {
    const original = proto.emit as Emit;
    const hadOwn = Object.prototype.hasOwnProperty.call(proto, 'emit');
    proto.emit = this.contextEmit(original);
    this.unwraps.push(() => {
      if (hadOwn) proto.emit = original;
      else delete (proto as Partial<ContextEmitter>).emit;
    });
  }

  private contextEmit(original: Emit): Emit {
    const als = this.als;
    // `arguments` straight into Reflect.apply: V8 passes it on without building an array (rest args would).
    return function emit(this: ContextEmitter, event: string | symbol): boolean {
      const ctx = this[EMITTER_CONTEXT];
      // No recorded context, nobody listening, or already in it: the plain emit.
      // eslint-disable-next-line prefer-rest-params
      if (ctx === undefined || this._events?.[event] === undefined || als.getStore() === ctx) return Reflect.apply(original, this, arguments) as boolean;
      // eslint-disable-next-line prefer-rest-params
      return als.run(ctx, applyEmit, original, this, arguments);
    };
  }
}

type Fn = (...a: unknown[]) => unknown;
function applyBound(fn: Fn, self: unknown, args: IArguments): unknown {
  return Reflect.apply(fn, self, args);
}

/**
 * Bound-function wrappers by the arity of the function they wrap, so .length is right without
 * Object.defineProperty on each (which moved every bound function to a map of its own), and
 * `arguments` goes on to the function without a rest array. A bind + call: 561 → 202 ns (Node 24,
 * medians of 7 rounds of 3e5; instrumentation-pg binds a callback per query).
 */
/* eslint-disable prefer-rest-params, @typescript-eslint/no-unused-vars */
const BOUND_BY_ARITY: ReadonlyArray<(als: AsyncLocalStorage<Context>, ctx: Context, fn: Fn) => Fn> = [
  (als, ctx, fn) => function (this: unknown) { return als.run(ctx, applyBound, fn, this, arguments); },
  (als, ctx, fn) => function (this: unknown, a: unknown) { return als.run(ctx, applyBound, fn, this, arguments); },
  (als, ctx, fn) => function (this: unknown, a: unknown, b: unknown) { return als.run(ctx, applyBound, fn, this, arguments); },
  (als, ctx, fn) => function (this: unknown, a: unknown, b: unknown, c: unknown) { return als.run(ctx, applyBound, fn, this, arguments); },
  (als, ctx, fn) => function (this: unknown, a: unknown, b: unknown, c: unknown, d: unknown) { return als.run(ctx, applyBound, fn, this, arguments); },
];
/* eslint-enable prefer-rest-params, @typescript-eslint/no-unused-vars */

function applyEmit(original: Emit, self: EventEmitter, args: IArguments): boolean {
  return Reflect.apply(original, self, args) as boolean;
}
