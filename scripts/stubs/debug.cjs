// Bundle stub for the `debug` package (used by agent-base, http-proxy-agent and https-proxy-agent).
// The real one prints, whenever DEBUG is set in the environment, the proxy URL with its password,
// the Proxy-Authorization header and the signed request; aws-mfa's own --log-level DEBUG says what
// is safe to say. Every logger here is disabled and does nothing.
function createDebug() {
  const log = () => {};
  log.enabled = false;
  log.namespace = '';
  log.extend = () => createDebug();
  log.destroy = () => true;
  log.log = () => {};
  return log;
}
createDebug.enable = () => {};
createDebug.disable = () => '';
createDebug.enabled = () => false;
createDebug.coerce = (v) => v;
createDebug.formatters = {};
createDebug.default = createDebug;
module.exports = createDebug;
