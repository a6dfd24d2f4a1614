// Preloaded with --require by the benchmark: reports the process's peak resident memory at exit.
process.on('exit', () => {
  require('node:fs').writeSync(2, `maxrss=${process.resourceUsage().maxRSS}\n`);
});
