/**
 * The fuzz run, short form, a few seconds (the long one: npm run fuzz): 5,000 generated and
 * mutated inputs to the parser, the big inputs once each, and 300 runs of the whole CLI in
 * process. FUZZ_PARSER_RUNS and FUZZ_CLI_RUNS set other counts. A violation fails with
 * fast-check's counterexample and seed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { inputs, bigInputs, checkParser, fuzzCli } from '../fuzz/harness.js';

const PARSER_RUNS = Number(process.env.FUZZ_PARSER_RUNS ?? 5_000);
const CLI_RUNS = Number(process.env.FUZZ_CLI_RUNS ?? 300);

test(`parser fuzz: ${PARSER_RUNS} inputs, no crash, round trips, clean writes, bounded time`, () => {
  let slowest = 0;
  // checkParser throws on a violation; fc.assert turns that into a failure with the counterexample
  fc.assert(
    fc.property(inputs, fc.constantFrom('credentials' as const, 'config' as const), (latin1, kind) => {
      const { ms } = checkParser(Buffer.from(latin1, 'latin1'), kind);
      slowest = Math.max(slowest, ms);
    }),
    { numRuns: PARSER_RUNS },
  );
  console.log(`parser fuzz: ${PARSER_RUNS} inputs, 0 violations, slowest ${slowest.toFixed(1)} ms of CPU time`);
  assert.ok(slowest < 1_000, `no input took long (slowest ${slowest} ms of CPU time)`);
});

test('parser fuzz: the big inputs, each within a bounded time', () => {
  for (const { name, bytes } of bigInputs()) {
    for (const kind of ['credentials', 'config'] as const) {
      const { ms } = checkParser(bytes, kind);
      console.log(`parser fuzz: ${name} (${kind}) in ${ms.toFixed(0)} ms of CPU time`);
      assert.ok(ms < 10_000, `${name}: ${ms} ms`);
    }
  }
});

test(`CLI fuzz: ${CLI_RUNS} runs of the whole CLI on fuzzed files, only documented outcomes`, async () => {
  const { codes, slowest } = await fuzzCli(CLI_RUNS);
  console.log(`CLI fuzz: ${CLI_RUNS} runs, exit codes ${JSON.stringify(Object.fromEntries(codes))}, slowest ${slowest.toFixed(0)} ms of CPU time, 0 violations`);
  assert.ok((codes.get(0) ?? 0) > 0 && (codes.get(3) ?? 0) > 0, 'both successes and refusals happened');
});
