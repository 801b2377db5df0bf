import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { loadBrokerSimulatorConfig } from './broker-simulator-config.js';

function problemsOf(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration from the environment', () => {
  it('has working defaults for the embedded mode', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ mode: 'embedded', port: 8080, dataDir: './data', startBrokerSimulator: true, fixResetAtUtc: undefined });
    expect(config.venues.map((v) => v.name)).toEqual(['XNYS', 'XNAS', 'BATS', 'EDGX', 'DARKX']);
  });

  it('names every bad setting at once', () => {
    const problems = problemsOf(() => loadConfig({ PORT: 'http', OMS_VENUES: 'XNYS=nowhere', FIX_RESET_AT_UTC: '24:00:00', BROKER_SIMULATOR: 'maybe' }));
    expect(problems).toEqual([
      'PORT: "http" must be an integer from 0 to 65535',
      'OMS_VENUES: "XNYS=nowhere" is not NAME=host:port:SenderCompID:TargetCompID',
      'OMS_VENUES: at least one venue is needed',
      'FIX_RESET_AT_UTC: "24:00:00" must be a time HH:MM:SS',
      'BROKER_SIMULATOR: "maybe" must be true or false',
    ]);
  });

  it("keeps the inbox's claims a week by default (Kafka's default retention), and takes hours", () => {
    expect(loadConfig({}).inboxRetentionHours).toBe(168);
    expect(loadConfig({ INBOX_RETENTION_HOURS: '720' }).inboxRetentionHours).toBe(720);
    expect(problemsOf(() => loadConfig({ INBOX_RETENTION_HOURS: '0' }))).toEqual(['INBOX_RETENTION_HOURS: "0" must be an integer from 1 to 87600']);
  });

  it('gathers journal appends 1 ms under load by default, and takes 0 to turn that off', () => {
    expect(loadConfig({}).journalCommitDelayMs).toBe(1);
    expect(loadConfig({ JOURNAL_COMMIT_DELAY_MS: '0' }).journalCommitDelayMs).toBe(0);
    expect(problemsOf(() => loadConfig({ JOURNAL_COMMIT_DELAY_MS: '-1' }))).toEqual(['JOURNAL_COMMIT_DELAY_MS: "-1" must be an integer from 0 to 100']);
  });

  it("lets a MARKET order's children reach 2 ticks past the router's level by default, and takes 0 to hold them at it", () => {
    expect(loadConfig({}).marketSlippageTicks).toBe(2);
    expect(loadConfig({ SOR_MARKET_SLIPPAGE_TICKS: '0' }).marketSlippageTicks).toBe(0);
    expect(problemsOf(() => loadConfig({ SOR_MARKET_SLIPPAGE_TICKS: '1.5' }))).toEqual(['SOR_MARKET_SLIPPAGE_TICKS: "1.5" must be an integer from 0 to 100']);
  });

  it('takes a daily FIX reset time', () => {
    expect(loadConfig({ FIX_RESET_AT_UTC: '21:30:00' }).fixResetAtUtc).toBe('21:30:00');
  });

  it("takes the FIX acceptors' logon timeout and caps on connections not logged on, in both programs", () => {
    expect(loadConfig({}).fixLogonLimits).toEqual({ logonTimeoutMs: 10_000, maxPendingLogonsPerAddress: 10, maxPendingLogons: 256 });
    const env = { FIX_LOGON_TIMEOUT_MS: '2000', FIX_MAX_PENDING_LOGONS_PER_ADDRESS: '3', FIX_MAX_PENDING_LOGONS: '50' };
    expect(loadConfig(env).fixLogonLimits).toEqual({ logonTimeoutMs: 2000, maxPendingLogonsPerAddress: 3, maxPendingLogons: 50 });
    expect(loadBrokerSimulatorConfig({ ...env, BROKER_MODE: 'reflector' }).fixLogonLimits).toEqual({
      logonTimeoutMs: 2000,
      maxPendingLogonsPerAddress: 3,
      maxPendingLogons: 50,
    });
    expect(problemsOf(() => loadBrokerSimulatorConfig({ FIX_MAX_PENDING_LOGONS_PER_ADDRESS: '0' }))).toEqual([
      'FIX_MAX_PENDING_LOGONS_PER_ADDRESS: "0" must be an integer from 1 to 100000',
    ]);
  });
});

describe('where oms-ingest forwards the risk API (RISK_SERVICE_URL)', () => {
  const dev = { AUTH_MODE: 'dev', AUTH_INSECURE_DEV_MODE_ACKNOWLEDGED: 'true' };

  it("defaults to risk-service's HTTP port on this host, and takes an origin", () => {
    expect(loadConfig(dev, 'oms-ingest').riskApiUrl).toBe('http://127.0.0.1:8084');
    expect(loadConfig({ ...dev, RISK_SERVICE_URL: 'http://risk-service:8084/' }, 'oms-ingest').riskApiUrl).toBe('http://risk-service:8084');
  });

  it('refuses anything but an http(s) origin, naming the setting', () => {
    const problems = (url: string) => problemsOf(() => loadConfig({ ...dev, RISK_SERVICE_URL: url }, 'oms-ingest'));
    expect(problems('risk-service:8084')).toEqual(['RISK_SERVICE_URL: "risk-service:8084" must be an http(s) URL']);
    expect(problems('http://risk service')).toEqual(['RISK_SERVICE_URL: "http://risk service" is not a valid URL']);
    expect(problems('http://risk-service:8084/api/v1')).toEqual([
      'RISK_SERVICE_URL: "http://risk-service:8084/api/v1" must be an origin only, e.g. http://host:8084 (no path, query or credentials)',
    ]);
  });
});

describe('access control settings', () => {
  const oidc = { OIDC_ISSUER_URL: 'https://idp.example/realms/oms', OIDC_AUDIENCE: 'oms-api' };

  it('embedded mode defaults to dev mode (no set-up) with a generous per-caller rate limit', () => {
    expect(loadConfig({}).auth).toEqual({
      mode: 'dev',
      issuerUrl: undefined,
      audience: 'oms-api',
      jwksUrl: undefined,
      webClientId: '',
      clockToleranceSeconds: 5,
      rateLimitPerMinute: 60_000,
      insecureDevModeAcknowledged: false,
    });
  });

  it('distributed mode defaults to oidc and names the issuer and audience when they are missing', () => {
    expect(problemsOf(() => loadConfig({}, 'oms-ingest'))).toEqual([
      'OIDC_ISSUER_URL: required with AUTH_MODE=oidc (the issuer, e.g. https://keycloak.example/realms/oms)',
      'OIDC_AUDIENCE: required with AUTH_MODE=oidc (the audience tokens are issued for, e.g. oms-api)',
    ]);
    expect(loadConfig(oidc, 'oms-ingest').auth).toMatchObject({ mode: 'oidc', issuerUrl: oidc.OIDC_ISSUER_URL, audience: 'oms-api' });
  });

  it('refuses dev mode in distributed mode unless it is acknowledged', () => {
    expect(problemsOf(() => loadConfig({ AUTH_MODE: 'dev' }, 'risk-service'))[0]).toMatch(
      /^AUTH_MODE=dev in distributed mode .* AUTH_INSECURE_DEV_MODE_ACKNOWLEDGED=true/,
    );
    expect(loadConfig({ AUTH_MODE: 'dev', AUTH_INSECURE_DEV_MODE_ACKNOWLEDGED: 'true' }, 'risk-service').auth.mode).toBe('dev');
  });

  it('takes oidc in embedded mode too, with a JWKS URL of its own, and checks the URLs and numbers', () => {
    const auth = loadConfig({
      AUTH_MODE: 'oidc',
      ...oidc,
      OIDC_JWKS_URL: 'http://keycloak:8080/realms/oms/protocol/openid-connect/certs',
      RATE_LIMIT_PER_MINUTE: '0',
    }).auth;
    expect(auth).toMatchObject({ mode: 'oidc', jwksUrl: 'http://keycloak:8080/realms/oms/protocol/openid-connect/certs', rateLimitPerMinute: 0 });
    expect(problemsOf(() => loadConfig({ AUTH_MODE: 'sso', OIDC_JWKS_URL: 'keycloak/certs', RATE_LIMIT_PER_MINUTE: '-1' }))).toEqual([
      'AUTH_MODE: "sso" must be one of oidc, dev',
      'OIDC_JWKS_URL: "keycloak/certs" must be an http(s) URL',
      'RATE_LIMIT_PER_MINUTE: "-1" must be an integer from 0 to 10000000',
    ]);
  });
});

describe('broker simulator configuration', () => {
  it('runs the venues of OMS_VENUES by default', () => {
    const config = loadBrokerSimulatorConfig({ OMS_VENUES: 'XNYS=127.0.0.1:9880:OMS:XNYS' });
    expect(config.mode).toBe('venues');
    if (config.mode === 'venues') expect(config.venues).toEqual([{ name: 'XNYS', host: '127.0.0.1', port: 9880, senderCompId: 'OMS', targetCompId: 'XNYS' }]);
  });

  it('runs the reflector with the acceptance tests CompIDs by default, or the ones given', () => {
    expect(loadBrokerSimulatorConfig({ BROKER_MODE: 'reflector' })).toMatchObject({
      mode: 'reflector',
      port: 5001,
      senderCompId: 'ISLD',
      clientCompIds: ['TW44', 'TW'],
    });
    expect(
      loadBrokerSimulatorConfig({ BROKER_MODE: 'reflector', REFLECTOR_PORT: '7001', REFLECTOR_COMP_ID: 'EXCH', REFLECTOR_CLIENT_COMP_IDS: 'A, B' }),
    ).toMatchObject({ port: 7001, senderCompId: 'EXCH', clientCompIds: ['A', 'B'] });
  });

  it('refuses an unknown mode', () => {
    expect(problemsOf(() => loadBrokerSimulatorConfig({ BROKER_MODE: 'echo' }))).toEqual(['BROKER_MODE: "echo" must be one of venues, reflector']);
  });
});
