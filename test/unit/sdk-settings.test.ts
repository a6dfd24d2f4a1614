/**
 * Pins the endpoint rules of src/core/sdk-settings.ts: which variable a configured
 * endpoint came from (the precedence sdkSettings applies) and what counts as an endpoint URL (one that
 * is not is refused before any call, instead of a network error later). Pure functions only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointSource, isEndpointUrl, sdkSettings } from '../../src/core/sdk-settings.js';

test('the endpoint comes from AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then endpoint_url; the source says which', () => {
  const profile = new Map([['endpoint_url', 'https://from.config']]);
  // [env, STS endpoint, its source]
  const cases: Array<[Record<string, string>, string, string | undefined]> = [
    [{ AWS_ENDPOINT_URL_STS: 'https://a', AWS_ENDPOINT_URL: 'https://b' }, 'https://a', 'AWS_ENDPOINT_URL_STS'],
    [{ AWS_ENDPOINT_URL_IAM: 'https://a', AWS_ENDPOINT_URL: 'https://b' }, 'https://b', 'AWS_ENDPOINT_URL'],
    [{ AWS_ENDPOINT_URL: '' }, 'https://from.config', undefined],
  ];
  for (const [env, endpoint, source] of cases) {
    assert.equal(sdkSettings(env, profile, 'STS').endpoint, endpoint);
    assert.equal(endpointSource(env, 'STS'), source);
  }
});

test('an endpoint is an http or https URL', () => {
  for (const ok of ['https://sts.ap-northeast-1.amazonaws.com', 'http://127.0.0.1:5000', 'https://[::1]:8443/x'])
    assert.ok(isEndpointUrl(ok), ok);
  for (const bad of ['notaurl', 'sts.amazonaws.com', 'ftp://x', '', 'https://', 'file:///etc/passwd'])
    assert.ok(!isEndpointUrl(bad), bad);
});
