/**
 * `npm run fuzz [-- --parser N --cli N]`: the long fuzz run (the short one is in npm test):
 * by default 1,000,000 parser inputs and 100,000 whole-CLI runs. Prints the counts; exits non-zero
 * on the first violation, with fast-check's counterexample and seed.
 */
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { inputs, bigInputs, checkParser, fuzzCli } from '../test/fuzz/harness.js';

const { values } = parseArgs({ options: { parser: { type: 'string' }, cli: { type: 'string' }, seed: { type: 'string' } } });
const parserRuns = Number(values.parser ?? 1_000_000);
const cliRuns = Number(values.cli ?? 100_000);
const seed = values.seed ? Number(values.seed) : Date.now() % 2 ** 31;
console.log(`fuzz: seed ${seed}, ${parserRuns} parser inputs, ${cliRuns} CLI runs`);

let t = Date.now();
let slowest = 0;
fc.assert(
  fc.property(inputs, fc.constantFrom('credentials' as const, 'config' as const), (latin1, kind) => {
    slowest = Math.max(slowest, checkParser(Buffer.from(latin1, 'latin1'), kind).ms);
  }),
  { numRuns: parserRuns, seed },
);
for (const { name, bytes } of bigInputs()) {
  const { ms } = checkParser(bytes);
  slowest = Math.max(slowest, ms);
  console.log(`  ${name}: ${ms.toFixed(0)} ms of CPU time`);
}
console.log(`parser: ${parserRuns + bigInputs().length} inputs, 0 violations, slowest ${slowest.toFixed(1)} ms of CPU time, ${((Date.now() - t) / 1000).toFixed(0)} s`);

t = Date.now();
const { codes, slowest: cliSlowest } = await fuzzCli(cliRuns, seed);
console.log(`CLI: ${cliRuns} runs, exit codes ${JSON.stringify(Object.fromEntries(codes))}, 0 violations, slowest ${cliSlowest.toFixed(0)} ms of CPU time, ${((Date.now() - t) / 1000).toFixed(0)} s`);
