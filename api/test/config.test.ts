import { expect } from 'chai';
import { ConfigError, loadConfig } from '../src/config.js';
import { generateApiKey } from '../src/auth/api-key.js';

describe('loadConfig', () => {
  it('defaults to the embedded store in ./.purna-data on port 3000', () => {
    const config = loadConfig({});
    expect(config).to.include({ port: 3000, dataDir: './.purna-data', logLevel: 'info', mongodbUri: undefined, rateLimitPerMinute: 6000, rateLimitBurst: 1000, voucherMissesPerMinute: 30, voucherMissesBurst: 20, scheduler: true, schedulerIntervalMs: 60_000, webhookDelivery: true, deliveryIntervalMs: 1000, deliveryConcurrency: 64 });
    expect(config.adminKey).to.equal(undefined);
    expect(config.host, 'every address').to.equal(undefined);
    expect([...config.webhookAllowHosts]).to.deep.equal([]);
  });

  it('reads every variable', () => {
    const { key } = generateApiKey();
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      MONGODB_URI: 'mongodb://localhost:27017/purna',
      PURNA_DATA_DIR: '/var/purna',
      PURNA_ADMIN_KEY: key,
      LOG_LEVEL: 'debug',
      PURNA_RATE_LIMIT_PER_MINUTE: '120',
      PURNA_RATE_LIMIT_BURST: '10',
      PURNA_VOUCHER_MISSES_PER_MINUTE: '6',
      PURNA_VOUCHER_MISSES_BURST: '5',
      PURNA_SCHEDULER: 'off',
      PURNA_SCHEDULER_INTERVAL_MS: '5000',
      PURNA_WEBHOOK_ALLOW_HOSTS: '127.0.0.1, Hooks.Internal,[::1]',
      PURNA_WEBHOOK_DELIVERY: 'off',
      PURNA_WEBHOOK_DELIVERY_INTERVAL_MS: '250',
      PURNA_WEBHOOK_CONCURRENCY: '8',
    });
    expect(config).to.include({
      port: 8080,
      host: '127.0.0.1',
      mongodbUri: 'mongodb://localhost:27017/purna',
      dataDir: '/var/purna',
      adminKey: key,
      logLevel: 'debug',
      rateLimitPerMinute: 120,
      rateLimitBurst: 10,
      voucherMissesPerMinute: 6,
      voucherMissesBurst: 5,
      scheduler: false,
      schedulerIntervalMs: 5000,
      webhookDelivery: false,
      deliveryIntervalMs: 250,
      deliveryConcurrency: 8,
    });
    expect([...config.webhookAllowHosts]).to.have.members(['127.0.0.1', 'hooks.internal', '[::1]']);
  });

  it('names every bad variable at once, each with what was expected', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: '80a', MONGODB_URI: 'postgres://x', PURNA_ADMIN_KEY: 'secret', LOG_LEVEL: 'loud', PURNA_RATE_LIMIT_BURST: '0', PURNA_SCHEDULER: 'sometimes', PURNA_SCHEDULER_INTERVAL_MS: '10', PURNA_WEBHOOK_ALLOW_HOSTS: 'https://hooks.internal:8443', PURNA_WEBHOOK_CONCURRENCY: '0' });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems.map((p) => p.variable)).to.have.members([
      'PORT',
      'MONGODB_URI',
      'PURNA_ADMIN_KEY',
      'LOG_LEVEL',
      'PURNA_RATE_LIMIT_BURST',
      'PURNA_SCHEDULER',
      'PURNA_SCHEDULER_INTERVAL_MS',
      'PURNA_WEBHOOK_ALLOW_HOSTS',
      'PURNA_WEBHOOK_CONCURRENCY',
    ]);
    expect((caught as Error).message).to.contain('PURNA_WEBHOOK_ALLOW_HOSTS: must list bare host names or IP literals');
    expect((caught as Error).message).to.contain('"https://hooks.internal:8443"');
    expect((caught as Error).message).to.contain('PURNA_SCHEDULER: must be on or off');
    expect((caught as Error).message).to.contain('PORT: must be a whole number from 0 to 65535, got "80a"');
    expect((caught as Error).message).to.contain('PURNA_WEBHOOK_CONCURRENCY: must be a whole number from 1 to 256, got "0"');
  });

  it('refuses a burst so small against the per-minute rate that a window would last under a second', () => {
    expect(() => loadConfig({ PURNA_RATE_LIMIT_PER_MINUTE: '6000', PURNA_RATE_LIMIT_BURST: '99' })).to.throw(
      ConfigError,
      'PURNA_RATE_LIMIT_BURST: must be at least PURNA_RATE_LIMIT_PER_MINUTE ÷ 60 (100)',
    );
    expect(() => loadConfig({ PURNA_VOUCHER_MISSES_PER_MINUTE: '120', PURNA_VOUCHER_MISSES_BURST: '1' })).to.throw(ConfigError, 'PURNA_VOUCHER_MISSES_BURST');
    expect(loadConfig({ PURNA_RATE_LIMIT_PER_MINUTE: '6000', PURNA_RATE_LIMIT_BURST: '100' })).to.include({ rateLimitPerMinute: 6000, rateLimitBurst: 100 });
  });
  it('takes an IP address or a host name as HOST, and refuses a URL, a port or brackets with what HOST may be', () => {
    for (const host of ['0.0.0.0', '::', '::1', '10.1.2.3', 'localhost', 'purna-api.internal']) expect(loadConfig({ HOST: host }).host).to.equal(host);
    for (const host of ['http://localhost', 'localhost:3000', '[::1]', 'two words', '-bad-.example']) {
      expect(() => loadConfig({ HOST: host }), host)
        .to.throw(ConfigError)
        .with.property('message')
        .that.contains(`HOST: must be an IP address like 127.0.0.1 or ::, or a host name like localhost (no scheme, port or brackets), got ${JSON.stringify(host)}`);
    }
  });
});
