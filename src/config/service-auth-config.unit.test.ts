import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type Env, type ServiceName } from './config.js';

const oidc = { OIDC_ISSUER_URL: 'https://idp.example/realms/oms', OIDC_AUDIENCE: 'oms-api' };
const devMode = { AUTH_MODE: 'dev', AUTH_INSECURE_DEV_MODE_ACKNOWLEDGED: 'true' };
const secret = 'k'.repeat(32);

function problemsOf(env: Env, service?: ServiceName): readonly string[] {
  try {
    loadConfig(env, service);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('SERVICE_AUTH_SECRET (internal gRPC service tokens)', () => {
  it('is required with AUTH_MODE=oidc by risk-service and oms-core, and names itself', () => {
    for (const service of ['risk-service', 'oms-core'] as const) {
      expect(problemsOf(oidc, service)).toEqual([
        'SERVICE_AUTH_SECRET: required with AUTH_MODE=oidc for risk-service and oms-core (the shared secret of their internal gRPC service tokens, at least 32 characters; the same value in both)',
      ]);
      expect(loadConfig({ ...oidc, SERVICE_AUTH_SECRET: secret }, service).serviceAuth).toEqual({ secret });
    }
  });

  it('is not asked of services without internal gRPC, nor of embedded mode (which serves none), nor of dev mode', () => {
    expect(problemsOf(oidc, 'oms-ingest')).toEqual([]);
    expect(loadConfig({ AUTH_MODE: 'oidc', ...oidc }).serviceAuth).toEqual({ secret: undefined });
    expect(loadConfig(devMode, 'risk-service').serviceAuth).toEqual({ secret: undefined });
  });

  it('refuses a short secret in any mode', () => {
    const problem = 'SERVICE_AUTH_SECRET: must be at least 32 characters (e.g. openssl rand -base64 48)';
    expect(problemsOf({ ...devMode, SERVICE_AUTH_SECRET: 'k'.repeat(31) }, 'risk-service')).toEqual([problem]);
    expect(problemsOf({ SERVICE_AUTH_SECRET: 'secret' })).toEqual([problem]);
  });
});
