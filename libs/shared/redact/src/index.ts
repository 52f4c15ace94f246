// The one redaction function: credentials never reach an error message, a usage error or a log line.
export {
  clearRegisteredSecrets,
  MIN_SECRET_LENGTH,
  REDACTED,
  redactError,
  redactedMessage,
  redactSecrets,
  registeredSecretCount,
  registerSecret,
} from './lib/redact';
