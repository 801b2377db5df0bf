/**
 * The only module that reads the environment. Every setting is parsed and checked here, and all
 * bad settings are reported at once, so a service never starts half-configured.
 */

import { hostname } from 'node:os';
import { DEFAULT_MARKET_SLIPPAGE_TICKS } from '../domain/routing/market-slippage.js';
import { readFixGateway, type FixGatewaySettings } from './fix-gateway-config.js';
import { DEFAULT_LOGON_TIMEOUT_MS, DEFAULT_MAX_PENDING_LOGONS, DEFAULT_MAX_PENDING_LOGONS_PER_ADDRESS, type LogonLimits } from '../fix/index.js';

export interface VenueEndpoint {
  /** Venue name used in routing and reports (MIC-like, e.g. XNYS). */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Our CompID towards the venue (49 on what we send). */
  readonly senderCompId: string;
  /** The venue's CompID (56 on what we send). */
  readonly targetCompId: string;
}

export interface RiskSettings {
  readonly maxOrderQuantity: number;
  readonly maxOrderNotional: string;
  readonly priceCollarBps: number;
  readonly restrictedSymbols: readonly string[];
  /** 'ANY' accepts every account id; otherwise only the listed ones. */
  readonly knownAccounts: readonly string[] | 'ANY';
  /** Default credit limit (decimal) per account; null for none. */
  readonly creditLimit: string | null;
  /** Default largest absolute position per symbol; null for none. */
  readonly maxPosition: number | null;
  /** Default duplicate-order window in ms; 0 turns the check off. */
  readonly duplicateWindowMs: number;
  /** Default most orders per second per account; null for none. */
  readonly maxOrdersPerSecond: number | null;
}

export interface AuthSettings {
  /**
   * 'oidc': every API request needs a bearer token from the issuer. 'dev' (embedded default): tokens
   * come from the process itself (POST /api/v1/dev/token) and a request without one acts as the
   * development principal; distributed mode refuses it unless AUTH_INSECURE_DEV_MODE_ACKNOWLEDGED=true.
   */
  readonly mode: 'oidc' | 'dev';
  /** The `iss` tokens must carry (oidc). */
  readonly issuerUrl: string | undefined;
  /** The `aud` tokens must carry. */
  readonly audience: string;
  /** Where the issuer's keys are; unset: from the issuer's OpenID discovery document. */
  readonly jwksUrl: string | undefined;
  /**
   * OIDC_WEB_CLIENT_ID: the issuer's public client the web blotter signs in with (authorization
   * code with PKCE, no secret); empty: the page cannot sign in and asks for a token instead.
   */
  readonly webClientId: string;
  readonly clockToleranceSeconds: number;
  /** Requests per minute per caller (token subject); 0 turns the limit off. */
  readonly rateLimitPerMinute: number;
  /** AUTH_INSECURE_DEV_MODE_ACKNOWLEDGED: dev mode outside embedded mode was asked for knowingly (and is logged as an error). */
  readonly insecureDevModeAcknowledged: boolean;
}

export interface ServiceAuthSettings {
  /**
   * SERVICE_AUTH_SECRET: the shared HMAC key of the service tokens internal gRPC calls carry
   * (oms-core -> risk-service). Set, it is always enforced; unset is refused with AUTH_MODE=oidc.
   */
  readonly secret: string | undefined;
}

/** Services that serve or call an internal gRPC service, and so need SERVICE_AUTH_SECRET with AUTH_MODE=oidc. */
export const INTERNAL_GRPC_SERVICES: readonly ServiceName[] = ['risk-service', 'oms-core'];

/** The seven services; each runs alone with `--service <name>` (distributed mode). */
export const SERVICE_NAMES = ['oms-ingest', 'oms-core', 'sor-engine', 'execution-adapter', 'risk-service', 'marketdata-simulator', 'broker-simulator'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** HTTP 8080..8086 in SERVICE_NAMES order; gRPC 50050..50056 (clear of Prometheus 9090 and Kafka 9092). */
export const defaultHttpPort = (service: ServiceName): number => 8080 + SERVICE_NAMES.indexOf(service);
export const defaultGrpcPort = (service: ServiceName): number => 50050 + SERVICE_NAMES.indexOf(service);

export interface Config {
  readonly mode: 'embedded' | 'distributed';
  readonly host: string;
  readonly port: number;
  /** gRPC listener of oms-ingest, risk-service and marketdata-simulator. */
  readonly grpcPort: number;
  /** Where oms-core reaches risk-service's gRPC pre-trade check (distributed mode). */
  readonly riskServiceUrl: string;
  /** RISK_SERVICE_URL: risk-service's HTTP origin, where oms-ingest forwards the risk API (distributed mode; the web blotter's risk view). */
  readonly riskApiUrl: string;
  /** Names this process among instances of its service (per-instance consumer groups, logs). */
  readonly instanceId: string;
  readonly dataDir: string;
  readonly logLevel: string;
  /**
   * OpenTelemetry traces wanted: OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
   * set, OTEL_SDK_DISABLED not true. The SDK reads the other OTEL_* variables itself.
   */
  readonly tracing: boolean;
  readonly postgres: { host: string; port: number; database: string; user: string; password: string };
  readonly kafkaBootstrap: string;
  /** How long a Kafka fetch waits for data (librdkafka's test broker always waits this long: keep it small there). */
  readonly kafkaFetchMaxWaitMs: number;
  /** A consumer silent this long leaves its group and its partitions move: how soon a killed instance's work resumes. */
  readonly kafkaSessionTimeoutMs: number;
  /** Partitions' fetched batches kafkajs hands to one consumer at once (each partition stays in order). */
  readonly kafkaPartitionsConcurrently: number;
  /** keyPrefix namespaces every key, so several deployments (or test runs) can share one Redis. */
  readonly redis: RedisSettings;
  readonly venues: readonly VenueEndpoint[];
  readonly fixHeartbeatSeconds: number;
  /** Trading session close, 'HH:MM:SS' UTC: working DAY orders expire then; none when unset. */
  readonly sessionCloseUtc: string | undefined;
  /** Daily FIX session reset, 'HH:MM:SS' UTC (sequence numbers back to 1); none when unset. */
  readonly fixResetAtUtc: string | undefined;
  /** The broker simulator's FIX acceptors: logon timeout and caps on connections not logged on. */
  readonly fixLogonLimits: Required<LogonLimits>;
  /** The FIX order-entry gateway for clients (served by oms-ingest); off without FIX_GATEWAY_PORT. */
  readonly fixGateway: FixGatewaySettings;
  /** Run the broker simulator's FIX acceptors in this process (embedded default). */
  readonly startBrokerSimulator: boolean;
  readonly marketSeed: number;
  readonly marketStepMs: number;
  /** Ticks a MARKET order's children may reach past the level the router planned; 0 holds them to it. */
  readonly marketSlippageTicks: number;
  readonly groupCommitMaxBatch: number;
  /** Distributed mode: how long the consumers' inbox keeps an event's claim; at least the Kafka topics' retention. */
  readonly inboxRetentionHours: number;
  /**
   * Embedded journal: 'fdatasync' (default) makes each acknowledged batch survive a power cut;
   * 'none' only survives a killed process, for those who trade that away for speed.
   */
  readonly journalSync: 'fdatasync' | 'none';
  /** Embedded journal: size of a segment file, each zeroed ahead of the records (FileJournalOptions.preallocate). */
  readonly journalSegmentBytes: number;
  /** Embedded journal: how long an idle journal gathers appends before a write under load (FileJournalOptions.commitDelayMs). */
  readonly journalCommitDelayMs: number;
  /** Embedded: journal records the query model may lag before new orders are refused (503) until it catches up. */
  readonly queryModelMaxLagRecords: number;
  readonly risk: RiskSettings;
  readonly auth: AuthSettings;
  readonly serviceAuth: ServiceAuthSettings;
  readonly shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Four lit venues with different fees and books, and a dark pool (a name with DARK in it). */
export const DEFAULT_VENUES = [
  'XNYS=127.0.0.1:9880:OMS:XNYS',
  'XNAS=127.0.0.1:9881:OMS:XNAS',
  'BATS=127.0.0.1:9882:OMS:BATS',
  'EDGX=127.0.0.1:9883:OMS:EDGX',
  'DARKX=127.0.0.1:9884:OMS:DARKX',
].join(',');

function otlpTracesWanted(env: Env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim());
}

/** `service` set: that service alone (distributed mode, its own default ports); unset: OMS_MODE decides. */
export function loadConfig(env: Env = process.env, service?: ServiceName): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const mode = service ? 'distributed' : read.oneOf('OMS_MODE', ['embedded', 'distributed'] as const, 'embedded');
  const config: Omit<Config, 'serviceAuth'> = {
    mode,
    host: read.string('HOST', '0.0.0.0'),
    port: read.port('PORT', service ? defaultHttpPort(service) : 8080),
    grpcPort: read.port('GRPC_PORT', defaultGrpcPort(service ?? 'oms-ingest')),
    riskServiceUrl: read.string('RISK_GRPC_URL', `http://127.0.0.1:${defaultGrpcPort('risk-service')}`),
    riskApiUrl: read.origin('RISK_SERVICE_URL', `http://127.0.0.1:${defaultHttpPort('risk-service')}`),
    instanceId: read.string('INSTANCE_ID', `${hostname()}-${process.pid}`),
    dataDir: read.string('DATA_DIR', './data'),
    logLevel: read.oneOf('LOG_LEVEL', ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const, 'info'),
    tracing: otlpTracesWanted(env),
    postgres: {
      host: read.string('POSTGRES_HOST', 'localhost'),
      port: read.port('POSTGRES_PORT', 5432),
      database: read.string('POSTGRES_DB', 'oms'),
      user: read.string('POSTGRES_USER', 'oms'),
      password: read.string('POSTGRES_PASSWORD', 'oms'),
    },
    kafkaBootstrap: read.string('KAFKA_BOOTSTRAP', 'localhost:9092'),
    kafkaFetchMaxWaitMs: read.integer('KAFKA_FETCH_MAX_WAIT_MS', 100, 1, 10_000),
    kafkaSessionTimeoutMs: read.integer('KAFKA_SESSION_TIMEOUT_MS', 30_000, 6_000, 300_000),
    kafkaPartitionsConcurrently: read.integer('KAFKA_PARTITIONS_CONCURRENTLY', 6, 1, 64),
    redis: readRedis(read),
    venues: parseVenues(read.string('OMS_VENUES', DEFAULT_VENUES), problems),
    fixHeartbeatSeconds: read.integer('FIX_HEARTBEAT_SECONDS', 30, 1, 3600),
    fixResetAtUtc: read.timeOfDay('FIX_RESET_AT_UTC'),
    fixLogonLimits: readFixLogonLimits(read),
    fixGateway: readFixGateway(read, problems),
    sessionCloseUtc: read.timeOfDay('SESSION_CLOSE_UTC'),
    startBrokerSimulator: read.boolean('BROKER_SIMULATOR', mode === 'embedded'),
    marketSeed: read.integer('MARKET_SEED', 42, 0, 2 ** 31 - 1),
    marketStepMs: read.integer('MARKET_STEP_MS', 100, 1, 60_000),
    marketSlippageTicks: read.integer('SOR_MARKET_SLIPPAGE_TICKS', DEFAULT_MARKET_SLIPPAGE_TICKS, 0, 100),
    groupCommitMaxBatch: read.integer('GROUP_COMMIT_MAX_BATCH', 500, 1, 10_000),
    inboxRetentionHours: read.integer('INBOX_RETENTION_HOURS', 168, 1, 87_600),
    journalSync: read.oneOf('JOURNAL_SYNC', ['fdatasync', 'none'] as const, 'fdatasync'),
    journalSegmentBytes: read.integer('JOURNAL_SEGMENT_MB', 64, 1, 4096) * 1024 * 1024,
    journalCommitDelayMs: read.integer('JOURNAL_COMMIT_DELAY_MS', 1, 0, 100),
    queryModelMaxLagRecords: read.integer('QUERY_MODEL_MAX_LAG_RECORDS', 250_000, 1, 100_000_000),
    risk: {
      maxOrderQuantity: read.integer('RISK_MAX_ORDER_QTY', 1_000_000, 1, 1_000_000_000),
      maxOrderNotional: read.decimal('RISK_MAX_ORDER_NOTIONAL', '10000000'),
      priceCollarBps: read.integer('RISK_PRICE_COLLAR_BPS', 1000, 1, 100_000),
      restrictedSymbols: read.list('RISK_RESTRICTED_SYMBOLS', []),
      knownAccounts: read.string('RISK_KNOWN_ACCOUNTS', 'ANY') === 'ANY' ? 'ANY' : read.list('RISK_KNOWN_ACCOUNTS', []),
      creditLimit: read.optionalDecimal('RISK_CREDIT_LIMIT'),
      maxPosition: read.optionalInteger('RISK_MAX_POSITION', 0, Number.MAX_SAFE_INTEGER),
      duplicateWindowMs: read.integer('RISK_DUPLICATE_WINDOW_MS', 0, 0, 3_600_000),
      maxOrdersPerSecond: read.optionalInteger('RISK_MAX_ORDERS_PER_SECOND', 1, 1_000_000),
    },
    auth: readAuth(read, mode, problems),
    shutdownTimeoutMs: read.integer('SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
  };
  // After auth: whether the secret is required depends on AUTH_MODE.
  const serviceAuth = readServiceAuth(read, config.auth.mode, service, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...config, serviceAuth };
}

/** Shortest SERVICE_AUTH_SECRET: 32 bytes, HS256's own output size (RFC 7518 3.2). */
export const MIN_SERVICE_SECRET_LENGTH = 32;

function readServiceAuth(read: EnvReader, authMode: AuthSettings['mode'], service: ServiceName | undefined, problems: string[]): ServiceAuthSettings {
  const secret = read.string('SERVICE_AUTH_SECRET', '') || undefined;
  if (secret !== undefined && secret.length < MIN_SERVICE_SECRET_LENGTH) {
    problems.push(`SERVICE_AUTH_SECRET: must be at least ${MIN_SERVICE_SECRET_LENGTH} characters (e.g. openssl rand -base64 48)`);
  }
  if (secret === undefined && authMode === 'oidc' && service !== undefined && INTERNAL_GRPC_SERVICES.includes(service)) {
    problems.push(
      `SERVICE_AUTH_SECRET: required with AUTH_MODE=oidc for ${INTERNAL_GRPC_SERVICES.join(' and ')} (the shared secret of their internal gRPC service tokens, at least ${MIN_SERVICE_SECRET_LENGTH} characters; the same value in both)`,
    );
  }
  return { secret };
}

export interface RedisSettings {
  readonly host: string;
  readonly port: number;
  readonly keyPrefix: string;
}

/** REDIS_HOST, REDIS_PORT, REDIS_KEY_PREFIX: the services' and the broker simulator's (its market feed). */
export function readRedis(read: EnvReader): RedisSettings {
  return { host: read.string('REDIS_HOST', 'localhost'), port: read.port('REDIS_PORT', 6379), keyPrefix: read.string('REDIS_KEY_PREFIX', 'oms:') };
}

/** A FIX acceptor's limits on connections that have not logged on (the broker simulator, in either mode). */
export function readFixLogonLimits(read: EnvReader): Required<LogonLimits> {
  return {
    logonTimeoutMs: read.integer('FIX_LOGON_TIMEOUT_MS', DEFAULT_LOGON_TIMEOUT_MS, 100, 600_000),
    maxPendingLogonsPerAddress: read.integer('FIX_MAX_PENDING_LOGONS_PER_ADDRESS', DEFAULT_MAX_PENDING_LOGONS_PER_ADDRESS, 1, 100_000),
    maxPendingLogons: read.integer('FIX_MAX_PENDING_LOGONS', DEFAULT_MAX_PENDING_LOGONS, 1, 100_000),
  };
}

/** Embedded mode stays zero set-up (dev); distributed mode needs an issuer, or dev mode acknowledged out loud. */
function readAuth(read: EnvReader, mode: Config['mode'], problems: string[]): AuthSettings {
  const authMode = read.oneOf('AUTH_MODE', ['oidc', 'dev'] as const, mode === 'embedded' ? 'dev' : 'oidc');
  const issuerUrl = read.url('OIDC_ISSUER_URL');
  const audience = read.string('OIDC_AUDIENCE', '');
  if (authMode === 'oidc') {
    if (issuerUrl === undefined) problems.push('OIDC_ISSUER_URL: required with AUTH_MODE=oidc (the issuer, e.g. https://keycloak.example/realms/oms)');
    if (audience === '') problems.push('OIDC_AUDIENCE: required with AUTH_MODE=oidc (the audience tokens are issued for, e.g. oms-api)');
  }
  const insecureDevModeAcknowledged = read.boolean('AUTH_INSECURE_DEV_MODE_ACKNOWLEDGED', false);
  if (authMode === 'dev' && mode === 'distributed' && !insecureDevModeAcknowledged) {
    problems.push(
      'AUTH_MODE=dev in distributed mode lets requests without a token act with every role on every account: set OIDC_ISSUER_URL and OIDC_AUDIENCE (AUTH_MODE=oidc), or AUTH_INSECURE_DEV_MODE_ACKNOWLEDGED=true for a test deployment',
    );
  }
  return {
    mode: authMode,
    issuerUrl,
    audience: audience || 'oms-api',
    jwksUrl: read.url('OIDC_JWKS_URL'),
    webClientId: read.string('OIDC_WEB_CLIENT_ID', ''),
    clockToleranceSeconds: read.integer('OIDC_CLOCK_TOLERANCE_SECONDS', 5, 0, 300),
    rateLimitPerMinute: read.integer('RATE_LIMIT_PER_MINUTE', 60_000, 0, 10_000_000),
    insecureDevModeAcknowledged,
  };
}

/** OMS_VENUES: comma-separated `NAME=host:port:SenderCompID:TargetCompID`; port 0 lets the simulator pick one (tests). */
export function parseVenues(text: string, problems: string[]): VenueEndpoint[] {
  const venues: VenueEndpoint[] = [];
  for (const entry of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z0-9_-]+)=([^:]+):(\d+):([^:]+):([^:]+)$/.exec(entry);
    const port = match ? Number(match[3]) : NaN;
    if (!match || port < 0 || port > 65535) {
      problems.push(`OMS_VENUES: "${entry}" is not NAME=host:port:SenderCompID:TargetCompID`);
      continue;
    }
    venues.push({ name: match[1]!, host: match[2]!, port, senderCompId: match[4]!, targetCompId: match[5]! });
  }
  if (venues.length === 0) problems.push('OMS_VENUES: at least one venue is needed');
  const names = venues.map((v) => v.name);
  if (new Set(names).size !== names.length) problems.push('OMS_VENUES: venue names must be unique');
  return venues;
}

export class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || value < min || value > max) {
      this.problems.push(`${name}: "${text}" must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  }

  /** An integer whose absence means "none" (no limit). */
  optionalInteger(name: string, min: number, max: number): number | null {
    return this.raw(name) === undefined ? null : this.integer(name, min, min, max);
  }

  port(name: string, fallback: number): number {
    return this.integer(name, fallback, 0, 65535);
  }

  decimal(name: string, fallback: string): string {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    if (!/^\d+(\.\d+)?$/.test(text)) this.problems.push(`${name}: "${text}" must be a positive decimal`);
    return text;
  }

  /** An optional http(s) URL. */
  url(name: string): string | undefined {
    const text = this.raw(name);
    if (text !== undefined && !/^https?:\/\//.test(text)) this.problems.push(`${name}: "${text}" must be an http(s) URL`);
    else if (text !== undefined && !URL.canParse(text)) this.problems.push(`${name}: "${text}" is not a valid URL`);
    return text;
  }

  /** An http(s) origin (scheme, host, port): a base that requests' own paths are put on. */
  origin(name: string, fallback: string): string {
    const known = this.problems.length;
    const text = this.url(name);
    if (text === undefined) return fallback;
    // Not an http(s) URL at all: url() has said so.
    if (this.problems.length > known) return text;
    const url = new URL(text);
    if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
      this.problems.push(`${name}: "${text}" must be an origin only, e.g. http://host:8084 (no path, query or credentials)`);
    }
    return url.origin;
  }

  optionalDecimal(name: string): string | null {
    return this.raw(name) === undefined ? null : this.decimal(name, '0');
  }

  /** An optional 'HH:MM:SS' (UTC). */
  timeOfDay(name: string): string | undefined {
    const text = this.raw(name);
    if (text !== undefined && !/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(text)) this.problems.push(`${name}: "${text}" must be a time HH:MM:SS`);
    return text;
  }

  boolean(name: string, fallback: boolean): boolean {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    if (['true', '1', 'yes'].includes(text.toLowerCase())) return true;
    if (['false', '0', 'no'].includes(text.toLowerCase())) return false;
    this.problems.push(`${name}: "${text}" must be true or false`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    if ((allowed as readonly string[]).includes(text)) return text as T;
    this.problems.push(`${name}: "${text}" must be one of ${allowed.join(', ')}`);
    return fallback;
  }

  list(name: string, fallback: readonly string[]): readonly string[] {
    const text = this.raw(name);
    return text === undefined
      ? fallback
      : text
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  }
}
