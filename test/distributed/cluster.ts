import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { kafkaTopicSpecs } from '../../src/adapters/bus/kafka-topics.js';
import { TEST_POSTGRES } from '../../src/adapters/sql/test-support/postgres.js';
import { freePort } from '../support/processes.js';
import { SERVICE_NAMES, type ServiceName } from '../../src/config/config.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const MOCK_BROKER = process.env.KAFKA_MOCKBROKER_DIR
  ? join(process.env.KAFKA_MOCKBROKER_DIR, 'start')
  : resolve(ROOT, '../shared/tools/kafka-mockbroker/start');
const VENUES = ['XNYS', 'XNAS', 'BATS', 'EDGX', 'DARKX'];

export { freePort };

/** librdkafka's mock cluster as its own process, with the project's topics; in memory only. */
export async function startKafkaMockBroker(): Promise<{ bootstrap: string; process: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(MOCK_BROKER, ['3', ...kafkaTopicSpecs()], { stdio: ['ignore', 'pipe', 'inherit'] });
  const bootstrap = await new Promise<string>((done, fail) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => done(line.trim()));
    child.once('exit', (code) => fail(new Error(`kafka mock broker exited with ${code}; see scripts/start-kafka-mockbroker.sh for what it needs`)));
  });
  return { bootstrap, process: child, stop: () => stopProcess(child) };
}

/** Removes what a test's services left in the machine's Redis under their REDIS_KEY_PREFIX. */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis({ host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) });
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}

/** A database of its own on the machine's PostgreSQL, dropped at the end. */
export async function createTestDatabase(): Promise<{
  name: string;
  query<R extends object>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}> {
  const name = `oms_e2e_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ ...TEST_POSTGRES });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const pool = new pg.Pool({ ...TEST_POSTGRES, database: name, max: 2 });
  return {
    name,
    query: async <R extends object>(sql: string, params?: unknown[]) => (await pool.query<R>(sql, params)).rows,
    drop: async () => {
      await pool.end();
      const again = new pg.Client({ ...TEST_POSTGRES });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}

export interface ServiceProcess {
  readonly name: ServiceName;
  readonly httpUrl: string;
  readonly process: ChildProcess;
  readonly output: string[];
}

/** Seven services, each its own `node src/main.ts --service <name>` process, on one database, broker and Redis. */
export class Cluster {
  readonly services = new Map<ServiceName, ServiceProcess>();
  private readonly env: Record<string, string>;
  private readonly ports = new Map<ServiceName, { http: number; grpc: number }>();
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'oms-distributed-'));
  private readonly extraInstances: ServiceProcess[] = [];

  private constructor(
    base: Record<string, string>,
    private readonly venuePorts: readonly number[],
    /** Each process writes a V8 CPU profile here when it stops (node --cpu-prof). */
    private readonly cpuProfileDir: string | undefined,
  ) {
    this.env = base;
  }

  /**
   * `env`: more variables for every process (e.g. the OTEL_* of a tracing test); `cpuProfileDir`:
   * each process profiles itself into it until it stops (the benchmark's --profile).
   */
  static async create(options: {
    kafkaBootstrap: string;
    database: string;
    postgresPort?: number;
    redisKeyPrefix: string;
    env?: Record<string, string>;
    cpuProfileDir?: string;
  }): Promise<Cluster> {
    const venuePorts = await Promise.all(VENUES.map(() => freePort()));
    const cluster = new Cluster(
      {
        POSTGRES_HOST: TEST_POSTGRES.host,
        POSTGRES_PORT: String(options.postgresPort ?? TEST_POSTGRES.port),
        POSTGRES_DB: options.database,
        POSTGRES_USER: TEST_POSTGRES.user,
        POSTGRES_PASSWORD: TEST_POSTGRES.password,
        KAFKA_BOOTSTRAP: options.kafkaBootstrap,
        REDIS_HOST: process.env.REDIS_HOST ?? '127.0.0.1',
        REDIS_PORT: process.env.REDIS_PORT ?? '6379',
        REDIS_KEY_PREFIX: options.redisKeyPrefix,
        HOST: '127.0.0.1',
        LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
        MARKET_STEP_MS: '50',
        // The mock broker's minimum; a killed consumer's partitions move after this long.
        KAFKA_SESSION_TIMEOUT_MS: '10000',
        KAFKA_FETCH_MAX_WAIT_MS: '25',
        // No identity provider in this test: requests act as the local development principal.
        AUTH_MODE: 'dev',
        AUTH_INSECURE_DEV_MODE_ACKNOWLEDGED: 'true',
        // Set, it is enforced in dev mode too: oms-core's checks at risk-service carry service tokens.
        SERVICE_AUTH_SECRET: randomBytes(32).toString('base64url'),
        FIX_HEARTBEAT_SECONDS: '5',
        OMS_VENUES: VENUES.map((v, i) => `${v}=127.0.0.1:${venuePorts[i]}:OMS:${v}`).join(','),
        ...options.env,
      },
      venuePorts,
      options.cpuProfileDir,
    );
    for (const name of SERVICE_NAMES) {
      cluster.ports.set(name, { http: await freePort(), grpc: await freePort() });
    }
    return cluster;
  }

  url(name: ServiceName): string {
    return `http://127.0.0.1:${this.ports.get(name)!.http}`;
  }

  grpcUrl(name: ServiceName): string {
    return `http://127.0.0.1:${this.ports.get(name)!.grpc}`;
  }

  /** Starts (or restarts) a service and waits until its health endpoint says UP. */
  async start(name: ServiceName, extraEnv: Record<string, string> = {}): Promise<ServiceProcess> {
    const service = this.spawn(name, 1, this.ports.get(name)!, extraEnv);
    this.services.set(name, service);
    if (name === 'broker-simulator') await waitForPort(service, this.venuePorts[0]!);
    else await waitForHealth(service);
    return service;
  }

  /** One more instance of a service (INSTANCE_ID `<name>-<n>`), on ports of its own; stopped by stopAll. */
  async startInstance(name: Exclude<ServiceName, 'broker-simulator'>, n: number, extraEnv: Record<string, string> = {}): Promise<ServiceProcess> {
    const service = this.spawn(name, n, { http: await freePort(), grpc: await freePort() }, extraEnv);
    this.extraInstances.push(service);
    await waitForHealth(service);
    return service;
  }

  private spawn(name: ServiceName, n: number, ports: { http: number; grpc: number }, extraEnv: Record<string, string>): ServiceProcess {
    const env: Record<string, string> = {
      ...this.env,
      PORT: String(ports.http),
      GRPC_PORT: String(ports.grpc),
      RISK_GRPC_URL: this.grpcUrl('risk-service'),
      RISK_SERVICE_URL: this.url('risk-service'),
      INSTANCE_ID: `${name}-${n}`,
      DATA_DIR: join(this.dataDir, `${name}-${n}`),
      ...(name === 'broker-simulator' ? { MARKET_FEED: 'redis', BROKER_HOST: '127.0.0.1' } : {}),
      ...extraEnv,
    };
    // A folder per process: node names each thread's profile itself (tsx's module loader has its own).
    const profile = this.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(this.cpuProfileDir, `${name}-${n}`)}`] : [];
    // The young generation the image gives each service (the Dockerfile's NODE_OPTIONS), as npm start does.
    const flags = ['--max-semi-space-size=64', ...profile];
    const child = spawn(process.execPath, [...flags, '--import', 'tsx', 'src/main.ts', '--service', name], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', (line) => output.push(line));
    return { name, httpUrl: `http://127.0.0.1:${ports.http}`, process: child, output };
  }

  /** SIGKILL: no shutdown hook runs, as when a host dies. */
  async kill(name: ServiceName): Promise<void> {
    const service = this.services.get(name);
    if (!service || service.process.exitCode !== null) return;
    const exited = new Promise((r) => service.process.once('exit', r));
    service.process.kill('SIGKILL');
    await exited;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.services.values(), ...this.extraInstances].map((s) => stopProcess(s.process)));
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

async function waitForHealth(service: ServiceProcess): Promise<void> {
  await waitUntil(
    async () => {
      const response = await fetch(`${service.httpUrl}/actuator/health`).catch(() => undefined);
      return response?.status === 200;
    },
    90_000,
    () => `${service.name} never became healthy:\n${service.output.slice(-40).join('\n')}`,
    service,
  );
}

/** The broker simulator has no HTTP server: it is up once its first FIX acceptor takes connections. */
async function waitForPort(service: ServiceProcess, port: number): Promise<void> {
  const accepts = () =>
    new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), done(true)));
      socket.once('error', () => done(false));
    });
  await waitUntil(accepts, 60_000, () => `${service.name} never listened on ${port}:\n${service.output.slice(-40).join('\n')}`, service);
}

/** Polls `check` until it holds; fails with `explain()` after `ms`, or at once if `service` exits. */
export async function waitUntil(check: () => boolean | Promise<boolean>, ms: number, explain: () => string, service?: ServiceProcess): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (service && service.process.exitCode !== null)
      throw new Error(`${service.name} exited (${service.process.exitCode}):\n${service.output.slice(-40).join('\n')}`);
    if (Date.now() > deadline) throw new Error(explain());
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
