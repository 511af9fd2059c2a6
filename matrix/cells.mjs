// Matrix cell definitions: the library stacks, the runtimes, and how they cross into cells (full and CI subset).
//
// A stack is one fixture app: a server flavour plus pg, a redis client and a logger at given versions.
// Every library version the compatibility table reports appears in at least one stack; checks are per
// library, so a red pg check in a stack does not hide a green express check in the same run.

/** @typedef {{ module: string, spec: string, role: 'framework'|'db'|'cache'|'log' }} Lib */
/** @typedef {{ id: string, server: string, cache: string, log: string, libs: Lib[], extra?: Record<string,string>, ts?: boolean }} Stack */

const pg = (spec) => ({ module: 'pg', spec, role: 'db' });
const lib = (module, spec, role) => ({ module, spec, role });

/** @type {Stack[]} */
export const STACKS = [
  {
    id: 'oldest',
    server: 'express', cache: 'redis', log: 'pino',
    libs: [lib('express', '4', 'framework'), pg('8.0.3'), lib('redis', '4', 'cache'), lib('pino', '9', 'log')],
  },
  {
    id: 'newest',
    server: 'express', cache: 'redis', log: 'pino',
    libs: [lib('express', '5', 'framework'), pg('8'), lib('redis', '6', 'cache'), lib('pino', '10', 'log')],
  },
  {
    id: 'fastify4',
    server: 'fastify', cache: 'ioredis', log: 'winston',
    libs: [lib('fastify', '4', 'framework'), pg('8'), lib('ioredis', '5', 'cache'), lib('winston', '3', 'log')],
  },
  {
    id: 'fastify5',
    server: 'fastify', cache: 'ioredis', log: 'winston',
    libs: [lib('fastify', '5', 'framework'), pg('8'), lib('ioredis', '6', 'cache'), lib('winston', '3', 'log')],
  },
  {
    id: 'koa2',
    server: 'koa', cache: 'redis', log: 'bunyan',
    libs: [lib('koa', '2', 'framework'), pg('8'), lib('redis', '5', 'cache'), lib('bunyan', '1', 'log')],
    extra: { '@koa/router': '15' },
  },
  {
    id: 'koa3',
    server: 'koa', cache: 'ioredis', log: 'bunyan',
    libs: [lib('koa', '3', 'framework'), pg('8'), lib('ioredis', '6', 'cache'), lib('bunyan', '2', 'log')],
    extra: { '@koa/router': '15' },
  },
  {
    // The first release of each supported major where the table above uses the newest one.
    id: 'floor',
    server: 'fastify', cache: 'ioredis', log: 'winston',
    libs: [lib('fastify', '4.0.0', 'framework'), pg('8.0.3'), lib('ioredis', '5.0.0', 'cache'), lib('winston', '3.0.0', 'log')],
  },
  {
    // node-redis 4.0.x still shipped its client as @node-redis/client: the other module name patched.
    id: 'http',
    server: 'http', cache: 'redis', log: 'none',
    libs: [lib('node:http', 'core', 'framework'), pg('8'), lib('redis', '4.0.0', 'cache')],
  },
  {
    id: 'typescript',
    server: 'express', cache: 'ioredis', log: 'none', ts: true,
    libs: [lib('express', '5', 'framework'), pg('8'), lib('ioredis', '5', 'cache')],
    extra: { '@types/express': '5', '@types/pg': '8', '@types/node': '20' },
  },
];

/** Node majors: 20 is the machine's own binary, the others come from the npm registry. */
export const NODE_MAJORS = ['20', '22', '24'];

/**
 * @typedef {{ id: string, stack: Stack, node: string, module: 'esm'|'cjs', start: 'import'|'NODE_OPTIONS' }} Cell
 * `module` is the module system of the app (for TypeScript: what tsc compiles to).
 */

/** @returns {Cell[]} */
export function expandCells({ subset }) {
  const ci = subset === 'ci';
  const nodes = ci ? ['20', '24'] : NODE_MAJORS;
  const cells = [];
  const add = (stack, node, module, start = 'import') => {
    const id = [stack.id, `node${node}`, module, start === 'NODE_OPTIONS' ? 'nodeoptions' : '']
      .filter(Boolean)
      .join('-');
    cells.push({ id, stack, node, module, start });
  };
  for (const stack of STACKS) {
    // Full run only: node:http is covered by every other stack's server span, floors by the majors.
    if (ci && (stack.id === 'http' || stack.id === 'floor')) continue;
    // TypeScript on every Node major would repeat the express stack; one runtime answers "does tsc output work".
    const stackNodes = stack.ts && ci ? ['24'] : nodes;
    for (const node of stackNodes) for (const module of ['esm', 'cjs']) add(stack, node, module);
  }
  const newest = STACKS.find((s) => s.id === 'newest');
  for (const node of ci ? ['24'] : nodes) {
    add(newest, node, 'esm', 'NODE_OPTIONS');
    if (!ci) add(newest, node, 'cjs', 'NODE_OPTIONS');
  }
  return cells;
}
