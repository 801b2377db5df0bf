import { hostname } from 'node:os';
import type { LogonLimits } from '../fix/index.js';
import {
  ConfigError,
  DEFAULT_VENUES,
  defaultHttpPort,
  EnvReader,
  parseVenues,
  readFixLogonLimits,
  readRedis,
  type Env,
  type RedisSettings,
  type VenueEndpoint,
} from './config.js';

/**
 * The broker simulator run on its own (`npm run broker-simulator`): either the simulated venues
 * (one FIX acceptor per OMS_VENUES entry, matching against the simulated market) or the reflector
 * that QuickFIX's acceptance scripts expect (echoes NewOrderSingle, ResetOnLogon).
 */
export type BrokerSimulatorConfig =
  | {
      readonly mode: 'venues';
      readonly host: string;
      /** /actuator/health and /actuator/prometheus (PORT, default 8086). */
      readonly httpPort: number;
      /** As the OMS names them: the simulator listens on each port and answers to the CompIDs reversed. */
      readonly venues: readonly VenueEndpoint[];
      readonly dataDir: string;
      readonly marketSeed: number;
      readonly marketStepMs: number;
      /**
       * 'own': the simulator steps its own seeded market. 'redis' (distributed mode): it follows the
       * marketdata-simulator's steps on Redis' marketdata.quotes channel, as the router does, so its
       * venues match against the market the router saw.
       */
      readonly marketFeed: 'own' | 'redis';
      /** Where that channel is (REDIS_HOST, REDIS_PORT; REDIS_KEY_PREFIX names the channel as the services do). */
      readonly redis: RedisSettings;
      readonly instanceId: string;
      readonly resetAtUtc: string | undefined;
      readonly fixLogonLimits: Required<LogonLimits>;
      readonly logLevel: string;
    }
  | {
      readonly mode: 'reflector';
      readonly host: string;
      readonly port: number;
      readonly senderCompId: string;
      readonly clientCompIds: readonly string[];
      /** A QuickFIX data dictionary to validate inbound messages against, if set. */
      readonly dictionaryPath: string | undefined;
      readonly fixLogonLimits: Required<LogonLimits>;
      readonly logLevel: string;
    };

export function loadBrokerSimulatorConfig(env: Env = process.env): BrokerSimulatorConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);
  const mode = read.oneOf('BROKER_MODE', ['venues', 'reflector'] as const, 'venues');
  const host = read.string('BROKER_HOST', '0.0.0.0');
  const logLevel = read.oneOf('LOG_LEVEL', ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const, 'info');
  const config: BrokerSimulatorConfig =
    mode === 'venues'
      ? {
          mode,
          host,
          httpPort: read.port('PORT', defaultHttpPort('broker-simulator')),
          venues: parseVenues(read.string('OMS_VENUES', DEFAULT_VENUES), problems),
          dataDir: read.string('DATA_DIR', './data'),
          marketSeed: read.integer('MARKET_SEED', 42, 0, 2 ** 31 - 1),
          marketStepMs: read.integer('MARKET_STEP_MS', 100, 1, 60_000),
          marketFeed: read.oneOf('MARKET_FEED', ['own', 'redis'] as const, 'own'),
          redis: readRedis(read),
          instanceId: read.string('INSTANCE_ID', `${hostname()}-${process.pid}`),
          resetAtUtc: read.timeOfDay('FIX_RESET_AT_UTC'),
          fixLogonLimits: readFixLogonLimits(read),
          logLevel,
        }
      : {
          mode,
          host,
          port: read.port('REFLECTOR_PORT', 5001),
          senderCompId: read.string('REFLECTOR_COMP_ID', 'ISLD'),
          clientCompIds: read.list('REFLECTOR_CLIENT_COMP_IDS', ['TW44', 'TW']),
          dictionaryPath: env.REFLECTOR_DICTIONARY?.trim() || undefined,
          fixLogonLimits: readFixLogonLimits(read),
          logLevel,
        };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
