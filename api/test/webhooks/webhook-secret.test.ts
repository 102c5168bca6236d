import { expect } from 'chai';
import {
  generateWebhookSecret,
  parseWebhookSecret,
  WEBHOOK_SECRET_PREFIX,
} from '../../src/webhooks/webhook-secret.js';

describe('webhook secrets', () => {
  it('generates whsec_ plus base64 of 32 random bytes by default, different every time', () => {
    const first = generateWebhookSecret();
    const second = generateWebhookSecret();
    expect(first.startsWith(WEBHOOK_SECRET_PREFIX)).to.equal(true);
    expect(Buffer.from(first.slice(WEBHOOK_SECRET_PREFIX.length), 'base64')).to.have.length(32);
    expect(first).to.not.equal(second);
  });

  it('generates 24 to 32 bytes on request, and parses back exactly the bytes it encoded', () => {
    for (const bytes of [24, 28, 32]) {
      const secret = generateWebhookSecret(bytes);
      const key = parseWebhookSecret(secret);
      expect(key).to.have.length(bytes);
      expect(`${WEBHOOK_SECRET_PREFIX}${key.toString('base64')}`).to.equal(secret);
    }
  });

  it('refuses to generate fewer than 24 or more than 32 bytes', () => {
    for (const bytes of [0, 16, 23, 33, 64, 24.5, Number.NaN]) {
      expect(() => generateWebhookSecret(bytes), String(bytes)).to.throw(TypeError, /from 24 to 32 random bytes/);
    }
  });

  it("parses the spec's example secret into its 24 key bytes", () => {
    // 32 base64 characters without padding encode 32 / 4 * 3 = 24 bytes.
    const key = parseWebhookSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(key).to.have.length(24);
    expect(key.toString('base64')).to.equal('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
  });

  it('says what is wrong with a malformed secret, without echoing it', () => {
    const cases: Array<[string, RegExp]> = [
      ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', /must start with "whsec_"/],
      ['whsk_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', /must start with "whsec_"/],
      ['whsec_', /followed by standard base64/],
      ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa-w', /followed by standard base64/],
      ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS', /followed by standard base64/],
      ['whsec_MfKQ9r8G KYqrTwjUPD8ILPZIo2LaLaSw', /followed by standard base64/],
      // 16 bytes: too short for the spec.
      [`whsec_${Buffer.alloc(16, 7).toString('base64')}`, /from 24 to 64 bytes of key; this one holds 16/],
      [`whsec_${Buffer.alloc(65, 7).toString('base64')}`, /from 24 to 64 bytes of key; this one holds 65/],
    ];
    for (const [secret, message] of cases) {
      expect(() => parseWebhookSecret(secret), secret).to.throw(TypeError, message);
      try {
        parseWebhookSecret(secret);
      } catch (error) {
        const body = secret.slice(6);
        if (body.length > 8) expect((error as Error).message).to.not.include(body);
      }
    }
  });

  it('accepts a 64-byte key, the largest the spec allows', () => {
    expect(parseWebhookSecret(`whsec_${Buffer.alloc(64, 1).toString('base64')}`)).to.have.length(64);
  });

  it('refuses a value that is not a string', () => {
    expect(() => parseWebhookSecret(undefined as unknown as string)).to.throw(TypeError, /must be a string; got undefined/);
  });
});
