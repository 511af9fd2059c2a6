// The gRPC retry policy the guarded exporter applies (upstream's gRPC transport does not retry).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { otlpType } from '../src/cli/receiver/proto.js';
import { grpcRetryDelay, MAX_RETRIES, retryInfoDelayMs } from '../src/export/grpc-retry.js';

function statusDetails(seconds: number, nanos: number): Buffer {
  const retryInfo = otlpType('google.rpc.RetryInfo');
  const status = otlpType('google.rpc.Status');
  const value = retryInfo.encode(retryInfo.fromObject({ retryDelay: { seconds, nanos } })).finish();
  return Buffer.from(status.encode(status.fromObject({ code: 8, message: 'slow down', details: [{ typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', value }] })).finish());
}

function serviceError(code: number, details?: Buffer): { code: number; metadata: grpc.Metadata } {
  const metadata = new grpc.Metadata();
  if (details) metadata.set('grpc-status-details-bin', details);
  return { code, metadata };
}

test('RetryInfo delay is read from grpc-status-details-bin', () => {
  assert.equal(retryInfoDelayMs(statusDetails(2, 500_000_000)), 2500);
  assert.equal(retryInfoDelayMs(Buffer.from([0xff, 0xff])), undefined);
  assert.equal(retryInfoDelayMs(Buffer.alloc(0)), undefined);
});

test('UNAVAILABLE retries with jittered exponential backoff, capped, at most MAX_RETRIES times', () => {
  const err = serviceError(grpc.status.UNAVAILABLE);
  assert.equal(grpcRetryDelay(err, 0, () => 0.5), 1000);
  assert.equal(grpcRetryDelay(err, 1, () => 0.5), 1500);
  assert.equal(grpcRetryDelay(err, 4, () => 0.5), 5000);
  assert.equal(grpcRetryDelay(err, 0, () => 1), 1200);
  assert.equal(grpcRetryDelay(err, 0, () => 0), 800);
  assert.equal(grpcRetryDelay(err, MAX_RETRIES), undefined);
});

test('the server\'s RetryInfo wins over backoff; RESOURCE_EXHAUSTED retries only with RetryInfo', () => {
  assert.equal(grpcRetryDelay(serviceError(grpc.status.UNAVAILABLE, statusDetails(3, 0)), 0), 3000);
  assert.equal(grpcRetryDelay(serviceError(grpc.status.RESOURCE_EXHAUSTED, statusDetails(1, 0)), 0), 1000);
  assert.equal(grpcRetryDelay(serviceError(grpc.status.RESOURCE_EXHAUSTED), 0), undefined);
});

test('other codes and non-gRPC errors are not retried', () => {
  for (const code of [grpc.status.INVALID_ARGUMENT, grpc.status.INTERNAL, grpc.status.UNAUTHENTICATED, grpc.status.DEADLINE_EXCEEDED]) {
    assert.equal(grpcRetryDelay(serviceError(code), 0), undefined, `code ${code}`);
  }
  assert.equal(grpcRetryDelay(new Error('boom'), 0), undefined);
  assert.equal(grpcRetryDelay(undefined, 0), undefined);
});
