// Bundle stub for @aws-sdk/credential-provider-node. aws-mfa always hands the SDK clients the
// exact credentials to use (the long-term key or the session), so the SDK's default provider chain
// (environment, SSO, IMDS, process, ...) is never consulted; bundling it would only add ~100 KB to
// evaluate on every refresh. If a client ever reached for it, this says so instead of guessing.
exports.defaultProvider = () => () => Promise.reject(new Error('aws-mfa passes credentials explicitly; the default provider chain is not bundled'));
