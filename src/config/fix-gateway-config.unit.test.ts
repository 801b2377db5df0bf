import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { parseGatewaySessions } from './fix-gateway-config.js';

describe('FIX gateway settings', () => {
  it('is off without FIX_GATEWAY_PORT', () => {
    expect(loadConfig({}).fixGateway).toEqual({ port: undefined, sessions: [], dropCopySessions: [] });
  });

  it('reads sessions as CLIENT:GATEWAY=ACCOUNT+ACCOUNT, and drop copies apart', () => {
    const config = loadConfig({
      FIX_GATEWAY_PORT: '9878',
      FIX_GATEWAY_SESSIONS: 'ALICE:OMS=ACC-1+ACC-2, BOB:OMS=*',
      FIX_GATEWAY_DROP_COPY_SESSIONS: 'RISK:OMS=ACC-1',
    });
    expect(config.fixGateway).toEqual({
      port: 9878,
      sessions: [
        { clientCompId: 'ALICE', gatewayCompId: 'OMS', accounts: ['ACC-1', 'ACC-2'] },
        { clientCompId: 'BOB', gatewayCompId: 'OMS', accounts: ['*'] },
      ],
      dropCopySessions: [{ clientCompId: 'RISK', gatewayCompId: 'OMS', accounts: ['ACC-1'] }],
    });
  });

  it('names every bad entry, a CompID pair named twice, and a port without sessions', () => {
    const problems: string[] = [];
    expect(parseGatewaySessions('FIX_GATEWAY_SESSIONS', 'ALICE=ACC-1,BOB:OMS=', problems)).toEqual([]);
    expect(problems).toHaveLength(2);
    expect(() => loadConfig({ FIX_GATEWAY_PORT: '9878', FIX_GATEWAY_SESSIONS: 'A:OMS=X', FIX_GATEWAY_DROP_COPY_SESSIONS: 'A:OMS=Y' })).toThrow(/named once/);
    expect(() => loadConfig({ FIX_GATEWAY_PORT: '9878' })).toThrow(/names no session/);
  });

  it("is oms-ingest's in distributed mode too", () => {
    expect(
      loadConfig(
        { FIX_GATEWAY_PORT: '9878', FIX_GATEWAY_SESSIONS: 'A:OMS=X', AUTH_MODE: 'oidc', OIDC_ISSUER_URL: 'https://issuer.example', OIDC_AUDIENCE: 'oms-api' },
        'oms-ingest',
      ).fixGateway.port,
    ).toBe(9878);
  });
});
