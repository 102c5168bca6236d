/**
 * Webhook signing secrets (`whsec_<base64>`). The one generator lives in @purna/ledger, which creates and rotates
 * the secrets it stores with the endpoints; the API's webhook modules read them from here.
 */
export { generateWebhookSecret, parseWebhookSecret, WEBHOOK_SECRET_PREFIX } from '@purna/ledger';
