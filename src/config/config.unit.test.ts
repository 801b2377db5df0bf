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

  it('takes a daily FIX reset time', () => {
    expect(loadConfig({ FIX_RESET_AT_UTC: '21:30:00' }).fixResetAtUtc).toBe('21:30:00');
  });
});

describe('broker simulator configuration', () => {
  it('runs the venues of OMS_VENUES by default', () => {
    const config = loadBrokerSimulatorConfig({ OMS_VENUES: 'XNYS=127.0.0.1:9880:OMS:XNYS' });
    expect(config.mode).toBe('venues');
    if (config.mode === 'venues') expect(config.venues).toEqual([{ name: 'XNYS', host: '127.0.0.1', port: 9880, senderCompId: 'OMS', targetCompId: 'XNYS' }]);
  });

  it('runs the reflector with the acceptance tests CompIDs by default, or the ones given', () => {
    expect(loadBrokerSimulatorConfig({ BROKER_MODE: 'reflector' })).toMatchObject({ mode: 'reflector', port: 5001, senderCompId: 'ISLD', clientCompIds: ['TW44', 'TW'] });
    expect(loadBrokerSimulatorConfig({ BROKER_MODE: 'reflector', REFLECTOR_PORT: '7001', REFLECTOR_COMP_ID: 'EXCH', REFLECTOR_CLIENT_COMP_IDS: 'A, B' })).toMatchObject({ port: 7001, senderCompId: 'EXCH', clientCompIds: ['A', 'B'] });
  });

  it('refuses an unknown mode', () => {
    expect(problemsOf(() => loadBrokerSimulatorConfig({ BROKER_MODE: 'echo' }))).toEqual(['BROKER_MODE: "echo" must be one of venues, reflector']);
  });
});
