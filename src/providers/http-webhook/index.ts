/** http_webhook skills: operator config, per-skill signing, and the signed, policy-checked call. */
export {
  isAllowedHeaderName,
  MASKED_VALUE,
  maskHeaders,
  mergeHeaders,
  validateWebhookConfig,
  WEBHOOK_METHODS,
  type WebhookConfig,
  type WebhookConfigResult,
  WebhookExecutionConfigSchema,
  type WebhookMethod,
} from './config.ts';
export {
  callWebhook,
  type WebhookCallContext,
  type WebhookResult,
  type WebhookSecrets,
  webhookDispatcher,
} from './execute.ts';
export {
  generateSigningSecret,
  ID_HEADER,
  SIGNATURE_HEADER,
  signWebhookPayload,
  TIMESTAMP_HEADER,
  verifyWebhookSignature,
} from './signing.ts';
