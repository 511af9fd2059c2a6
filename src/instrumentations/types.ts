// The shape of one entry in our instrumentation registry.
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { Context } from '@opentelemetry/api';
import type { Config } from '../config/config.js';

export interface InstrumentationContext {
  readonly config: Config;
  /** The context manager's enterWith, for instrumentations that start a request's context from a channel. */
  readonly contextEntry?: { enterWith(ctx: Context): void };
}

export interface InstrumentationSpec {
  /** The name used by OTEL_NODE_ENABLED_INSTRUMENTATIONS / OTEL_NODE_DISABLED_INSTRUMENTATIONS. */
  readonly name: string;
  /** The instrumentation package, for messages and `obs doctor`. */
  readonly package: string;
  /** Packages whose presence in the app makes this worth loading; empty means always (Node core). */
  readonly modules: readonly string[];
  /** Loads the package (only now) and builds the instrumentation. */
  create(ctx: InstrumentationContext): Instrumentation | Instrumentation[];
}
