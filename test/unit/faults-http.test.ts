/**
 * Where the line between "the runner's network" and "the API is slow" falls when the request deadline
 * passes: before the connection is set up it is the network, after it a timeout of the API.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { stalledTlsServer } from '../../sim/loopback.js';
import { startAnthropicSim } from '../../sim/anthropic.js';
import { CONNECT_DEADLINE_CODE, closeHttp, httpRequest } from '../../src/probes/http.js';
import { toSample } from '../../src/probes/messages.js';

afterAll(async () => {
  await closeHttp();
});

const KEY = 'sk-ant-api03-faults-http-test-key';

function canaryTo(url: string, timeoutMs: number) {
  return {
    url: `${url}/v1/messages`,
    method: 'POST' as const,
    headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: '{"model":"claude-haiku-4-5","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}',
    timeoutMs,
    maxBodyBytes: 1024,
  };
}

const base = { model: 'claude-haiku-4-5', index: 0, startedAt: '2026-12-03T09:00:00.000Z' };
const config = { anthropicApiKey: KEY, canaryExpect: /42/ };

describe('a deadline that passes while connecting', () => {
  it('is a connect failure, so the sample says network, not timeout', async () => {
    const stalled = await stalledTlsServer();
    try {
      const result = await httpRequest(canaryTo(stalled.url, 150));

      expect(result).toMatchObject({
        kind: 'failure',
        phase: 'connect',
        code: CONNECT_DEADLINE_CODE,
        timedOut: true,
        status: null,
        message: 'still connecting when the 150 ms deadline passed',
      });
      expect(toSample(result, base, config)).toMatchObject({
        outcome: 'network',
        errorType: 'CONNECT_TIMEOUT',
      });
    } finally {
      await stalled.close();
    }
  });

  it('is a headers timeout once connected: the API took the request and said nothing', async () => {
    const api = await startAnthropicSim();
    try {
      api.setBehaviour('hang');
      const result = await httpRequest(canaryTo(api.url, 150));

      expect(result).toMatchObject({ kind: 'failure', phase: 'headers', code: 'TIMEOUT', timedOut: true });
      expect(toSample(result, base, config).outcome).toBe('timeout_headers');
    } finally {
      await api.close();
    }
  });
});
