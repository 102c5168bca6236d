import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { generateWebhookSecret } from '../../src/webhooks/webhook-secret.js';
import { signedHeaders, signingKeys, signWebhook, webhookHeaders } from '../../src/webhooks/webhook-signature.js';

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const body = JSON.stringify({ type: 'points.earned', data: { customerId: 'c-1', points: 120, note: 'café ☕' } });

describe('webhook signatures', () => {
  it('matches the test vector published with the Standard Webhooks reference libraries', () => {
    // From standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts and
    // libraries/go/webhook_test.go ("sign function works"): both libraries expect this exact value.
    const signature = signWebhook(
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    );
    expect(signature).to.equal('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('is HMAC-SHA256 over "id.timestamp.body" keyed by the decoded secret bytes', () => {
    const key = Buffer.alloc(32, 9);
    const secret = `whsec_${key.toString('base64')}`;
    const expected = createHmac('sha256', key).update(`msg_1.1700000000.${body}`).digest('base64');
    expect(signWebhook('msg_1', 1700000000, body, secret)).to.equal(`v1,${expected}`);
  });

  it('builds the three headers that the standardwebhooks package verifies, returning the parsed body', () => {
    const secret = generateWebhookSecret();
    const timestamp = nowSeconds();
    const headers = webhookHeaders('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', timestamp, body, [secret]);
    expect(Object.keys(headers).sort()).to.deep.equal(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(headers['webhook-id']).to.equal('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W');
    expect(headers['webhook-timestamp']).to.equal(String(timestamp));
    expect(headers['webhook-signature']).to.match(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, { ...headers })).to.deep.equal(JSON.parse(body));
  });

  it('signs with every secret during a rotation, and each secret alone verifies', () => {
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret(24);
    const headers = webhookHeaders('msg_rotation', nowSeconds(), body, [oldSecret, newSecret]);
    const signatures = headers['webhook-signature'].split(' ');
    expect(signatures).to.have.length(2);
    expect(signatures[0]).to.equal(signWebhook('msg_rotation', Number(headers['webhook-timestamp']), body, oldSecret));
    expect(signatures[1]).to.equal(signWebhook('msg_rotation', Number(headers['webhook-timestamp']), body, newSecret));
    expect(() => new Webhook(oldSecret).verify(body, { ...headers })).to.not.throw();
    expect(() => new Webhook(newSecret).verify(body, { ...headers })).to.not.throw();
    const stranger = generateWebhookSecret();
    expect(() => new Webhook(stranger).verify(body, { ...headers })).to.throw(WebhookVerificationError);
  });

  it('fails verification when the body, id or timestamp was tampered with', () => {
    const secret = generateWebhookSecret();
    const timestamp = nowSeconds();
    const headers = webhookHeaders('msg_tamper', timestamp, body, [secret]);
    const webhook = new Webhook(secret);
    const tamperedBody = body.replace('120', '1200');
    expect(tamperedBody).to.not.equal(body);
    expect(() => webhook.verify(tamperedBody, { ...headers })).to.throw(WebhookVerificationError);
    expect(() => webhook.verify(body, { ...headers, 'webhook-id': 'msg_other' })).to.throw(WebhookVerificationError);
    expect(() => webhook.verify(body, { ...headers, 'webhook-timestamp': String(timestamp - 1) })).to.throw(
      WebhookVerificationError,
    );
  });

  it('refuses ids, timestamps, bodies and secret lists that would sign something ambiguous', () => {
    const secret = generateWebhookSecret();
    expect(() => webhookHeaders('msg.1', 1, body, [secret])).to.throw(TypeError, /without "\." or spaces/);
    expect(() => webhookHeaders('msg 1', 1, body, [secret])).to.throw(TypeError, /without "\." or spaces/);
    expect(() => webhookHeaders('msg\r\nx: y', 1, body, [secret])).to.throw(TypeError, /webhook id/);
    expect(() => webhookHeaders('', 1, body, [secret])).to.throw(TypeError, /webhook id/);
    expect(() => webhookHeaders('m'.repeat(257), 1, body, [secret])).to.throw(TypeError, /webhook id/);
    expect(() => webhookHeaders('msg_1', 1.5, body, [secret])).to.throw(TypeError, /whole seconds/);
    expect(() => webhookHeaders('msg_1', -1, body, [secret])).to.throw(TypeError, /whole seconds/);
    expect(() => webhookHeaders('msg_1', 1, { a: 1 } as unknown as string, [secret])).to.throw(TypeError, /JSON string/);
    expect(() => webhookHeaders('msg_1', 1, body, [])).to.throw(TypeError, /at least one secret/);
    expect(() => webhookHeaders('msg_1', 1, body, [secret, 'whsec_short'])).to.throw(
      TypeError,
      /^Webhook secret 2 of 2: /,
    );
  });

  it('signs with keys parsed once (the delivery worker) exactly as with the secrets themselves', () => {
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret(24);
    const keys = signingKeys([oldSecret, newSecret]);
    expect(keys.map((key) => key.length)).to.deep.equal([32, 24]);
    const headers = signedHeaders('msg_keys', 1700000000, body, keys);
    expect(headers).to.deep.equal(webhookHeaders('msg_keys', 1700000000, body, [oldSecret, newSecret]));
    const fresh = signedHeaders('msg_keys', nowSeconds(), body, keys);
    expect(new Webhook(oldSecret).verify(body, { ...fresh })).to.deep.equal(JSON.parse(body));
    expect(new Webhook(newSecret).verify(body, { ...fresh })).to.deep.equal(JSON.parse(body));
    expect(() => signingKeys([])).to.throw(TypeError, /at least one secret/);
    expect(() => signingKeys([oldSecret, 'whsec_short'])).to.throw(TypeError, /^Webhook secret 2 of 2: /);
    expect(() => signedHeaders('msg_keys', 1, body, [])).to.throw(TypeError, /at least one secret/);
    expect(() => signedHeaders('msg.keys', 1, body, keys)).to.throw(TypeError, /without "\." or spaces/);
  });
});
