// Matrix cell definitions: the library stacks, the runtimes, and how they cross into cells (full and CI subset).
//
// A stack is one fixture app: a server flavour plus pg, a redis client and a logger at given versions.
// Every library version the compatibility table reports appears in at least one stack; checks are per
// library, so a red pg check in a stack does not hide a green express check in the same run.

/** @typedef {{ module: string, spec: string, role: 'framework'|'db'|'cache'|'log' }} Lib */
/** @typedef {{ id: string, server: string, cache: string, log: string, libs: Lib[], extra?: Record<string,string>, ts?: boolean, appApi?: AppApi }} Stack */

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
    extra: { '@types/express': '5', '@types/pg': '8', '@types/node': '22' },
  },
];

/**
 * The app's own @opentelemetry/api: the newest-majors stack plus the app's API copy, installed before or
 * after the packed @org/obs in separate npm steps (the order changes what npm hoists and nests). The 1.9
 * app writes its log record through @opentelemetry/api-logs (its API has no logs), the 1.10 app through
 * the API's own `logs`.
 * @typedef {{ spec: string, label: string, order: 'before'|'after', logs: 'api'|'api-logs' }} AppApi
 */
const newestLibs = () => /** @type {Stack} */ (STACKS.find((s) => s.id === 'newest')).libs;
/** @type {Stack[]} */
export const API_STACKS = [
  ['api1.9', '~1.9.0', '1.9.x', 'api-logs'],
  ['api-latest', 'latest', 'latest (1.10.x)', 'api'],
].flatMap(([id, spec, label, logs]) => /** @type {const} */ (['before', 'after']).map((order) => ({
  id: `${id}-${order}`,
  server: 'express', cache: 'redis', log: 'pino',
  libs: newestLibs(),
  appApi: { spec, label, order, logs: /** @type {AppApi['logs']} */ (logs) },
})));

/** Node versions: 22.15 is the lowest supported (exactly 22.15.x); all come from the npm registry except the runner's own major. */
export const NODE_MAJORS = ['22.15', '22', '24', '26'];

/** Orders Node version strings: by major, and a pinned minor ('22.15') before its major's newest ('22'). */
export function compareNodes(a, b) {
  const [am, an = -1] = a.split('.').map(Number);
  const [bm, bn = -1] = b.split('.').map(Number);
  // A bare major means its newest release, so it sorts after any pinned minor of the same major.
  return am - bm || (an === -1 ? Infinity : an) - (bn === -1 ? Infinity : bn);
}

/**
 * @typedef {{ id: string, stack: Stack, node: string, module: 'esm'|'cjs', start: 'import'|'NODE_OPTIONS'|'require'|'none' }} Cell
 * `module` is the module system of the app (for TypeScript: what tsc compiles to).
 */

const START_SUFFIX = { import: '', NODE_OPTIONS: 'nodeoptions', require: 'require', none: 'nopreload' };

/**
 * Full: every stack on every Node × ESM/CJS, NODE_OPTIONS and --require on the newest stack, and the
 * app-API stacks. CI (a few minutes): the newest majors on the lowest and the newest Node, the oldest
 * majors on the lowest Node, and TypeScript, NODE_OPTIONS, --require and the app-API cells on Node 24.
 * @returns {Cell[]}
 */
export function expandCells({ subset }) {
  const ci = subset === 'ci';
  const cells = [];
  const add = (stack, node, module, start = 'import') => {
    const id = [stack.id, `node${node}`, module, START_SUFFIX[start]].filter(Boolean).join('-');
    cells.push({ id, stack, node, module, start });
  };
  const both = (stack, nodes, start) => {
    for (const node of nodes) for (const module of ['esm', 'cjs']) add(stack, node, module, start);
  };
  const newest = STACKS.find((s) => s.id === 'newest');
  if (ci) {
    for (const id of ['newest', 'fastify5', 'koa3']) both(STACKS.find((s) => s.id === id), ['22.15', '26']);
    for (const id of ['oldest', 'fastify4', 'koa2']) both(STACKS.find((s) => s.id === id), ['22.15']);
    both(STACKS.find((s) => s.id === 'typescript'), ['24']);
    add(newest, '24', 'esm', 'NODE_OPTIONS');
    both(newest, ['24'], 'require');
    for (const stack of API_STACKS) both(stack, ['24']);
    return cells;
  }
  for (const stack of STACKS) both(stack, NODE_MAJORS);
  both(newest, NODE_MAJORS, 'NODE_OPTIONS');
  both(newest, NODE_MAJORS, 'require');
  for (const stack of API_STACKS) both(stack, NODE_MAJORS);
  return cells;
}
