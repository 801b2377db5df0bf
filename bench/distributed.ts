/**
 * Distributed mode: the seven services as separate processes on this machine's PostgreSQL, Redis
 * and the Kafka test broker, started exactly as test/distributed/ starts them (its Cluster), then
 * MARKET orders at a fixed rate into oms-ingest, POST → FILLED seen on oms-ingest's order stream.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { TEST_POSTGRES } from '../src/adapters/sql/test-support/postgres.js';
import { Cluster, createTestDatabase, startKafkaMockBroker } from '../test/distributed/cluster.js';
import { lifecycle, reportAllFinal } from './lifecycle.js';
import { target } from './load.js';
import type { Options } from './options.js';
import { firstLine } from './phases.js';
import { readProfile, summarizeProfile } from './profiling/profile-summary.js';
import { count, notMeasured, section } from './report.js';
import { cpuRate, type Server } from './system.js';
import { arrivalSlippage, postgresActivityMeter, routingAttempts } from './postgres-activity.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The measured phase's account: its orders, apart from the warm-up's. */
const MEASURED_ACCOUNT = 'BENCH-D-LC';
// The order the distributed test starts them in: oms-ingest last, once everything it feeds is up.
const START_ORDER = ['marketdata-simulator', 'broker-simulator', 'risk-service', 'oms-core', 'sor-engine', 'execution-adapter', 'oms-ingest'] as const;

/** `profileDir`: each of the seven processes writes a CPU profile under it, summarized after the phase. */
export async function distributedPhase(options: Options, profileDir?: string): Promise<void> {
  const { n } = options;
  const name = `distributed, 7 processes, ${count(n['distributed-rate'])} orders/s for ${n['distributed-seconds']} s`;
  const goal = 'all final, p99 < 250 ms';
  if (options.distributed === false) return notMeasured(name, goal, 'skipped (--no-distributed)');
  section(`Distributed mode: ${name}`);
  const missing = await missingService();
  if (missing) return notMeasured(name, goal, missing);

  const redisKeyPrefix = `oms-bench-${Date.now().toString(36)}:`;
  const cpuProfileDir = profileDir && join(profileDir, 'distributed');
  let broker: Awaited<ReturnType<typeof startKafkaMockBroker>> | undefined;
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let cluster: Cluster | undefined;
  try {
    const startedAt = performance.now();
    broker = await startKafkaMockBroker();
    database = await createTestDatabase();
    // As deployed (compose, k8s: the defaults), not the test cluster's faster market steps and
    // shorter fetch waits, which cost the idle processes about a fifth of a core more.
    const deployed = { MARKET_STEP_MS: '100', KAFKA_FETCH_MAX_WAIT_MS: String(n['kafka-fetch-wait-ms']) };
    cluster = await Cluster.create({ kafkaBootstrap: broker.bootstrap, database: database.name, redisKeyPrefix, env: deployed, cpuProfileDir });
    for (const service of START_ORDER) await cluster.start(service);
    console.log(
      `  started the Kafka test broker, database ${database.name} and the seven services in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`,
    );

    const services = [...cluster.services.entries()];
    const names = new Map(services.flatMap(([name, s]) => (s.process.pid === undefined ? [] : [[s.process.pid, name] as const])));
    let beside = new Map<string, readonly number[]>();
    const server: Server = { url: cluster.url('oms-ingest'), pids: () => [...names.keys()], processName: (pid) => names.get(pid), beside: () => beside };
    const to = target(server.url, n.concurrency);
    try {
      const common = { server, target: to, references: new Map<string, number>(), finalWait: n['final-wait'], idleCores: 0, settleMax: n['settle-max'] };
      // Consumer groups join and code warms up: the measured phase starts once orders flow end to end.
      console.log('  warm-up: 20 orders/s for 3 s');
      await lifecycle({ ...common, rate: 20, seconds: 3, account: 'BENCH-D-WARM', finalWait: 60, settleMax: 0 });
      // Opened by now: each service's pool connections, so the phase's database CPU is theirs.
      beside = new Map([
        ['PostgreSQL', await postgresPids(database)],
        ['Kafka test broker', broker.process.pid === undefined ? [] : [broker.process.pid]],
        ['Redis', await redisPid()],
      ]);
      const idleCores = await cpuRate(server.pids(), 2_000);
      console.log(`  the seven processes idle at ${(idleCores * 100).toFixed(0)}% of a core`);
      console.log(`  measured: ${count(n['distributed-rate'])} orders/s for ${n['distributed-seconds']} s`);
      const activity = await postgresActivityMeter(database.query, database.name);
      const result = await lifecycle({ ...common, idleCores, rate: n['distributed-rate'], seconds: n['distributed-seconds'], account: MEASURED_ACCOUNT });
      console.log(`  PostgreSQL per FILLED order: ${await activity.stop(result.statuses.FILLED ?? 0)}`);
      console.log(`  routes: ${await routingAttempts(database.query, MEASURED_ACCOUNT)}`);
      console.log(`  slippage: ${await arrivalSlippage(database.query, MEASURED_ACCOUNT)}`);
      reportAllFinal(name, 250, result);
    } finally {
      await to.pool.close();
    }
  } catch (error) {
    // Cluster's errors end with the service's last output lines: keep the ones that say what failed, not the stack.
    const lines = (error instanceof Error ? error.message : String(error)).split('\n').filter((line) => line.trim() !== '' && !/^\s+at /.test(line));
    const errors = lines.slice(1).filter((line) => /error/i.test(line));
    notMeasured(name, goal, `the cluster failed: ${[lines[0], ...errors.slice(0, 2)].join(' | ')}`);
    if (lines.length > 1)
      console.log(
        lines
          .slice(-15)
          .map((line) => `    ${line}`)
          .join('\n'),
      );
  } finally {
    await cluster?.stopAll();
    await database?.drop().catch(() => undefined);
    await broker?.stop();
    await dropRedisKeys(redisKeyPrefix);
  }
  if (cpuProfileDir) summarizeProcessProfiles(cpuProfileDir);
}

/**
 * The main thread's profile of each process, from its whole life: start, warm-up, the measured
 * phase and the drain. Node names a profile CPU.<date>.<time>.<pid>.<thread>.<seq>; thread 0 is main.
 */
function summarizeProcessProfiles(dir: string): void {
  const processes = existsSync(dir) ? readdirSync(dir).sort() : [];
  if (processes.length === 0) return console.log(`  no cpu profile was written under ${dir}`);
  for (const name of processes) {
    const main = readdirSync(join(dir, name)).find((file) => /\.\d+\.0\.\d+\.cpuprofile$/.test(file));
    const path = main && join(dir, name, main);
    console.log(
      path ? `\n  cpu profile of ${name} (its whole life): ${path}\n${summarizeProfile(readProfile(path))}` : `\n  ${name} wrote no profile of its main thread`,
    );
  }
}

/** The server processes of the test database's connections, and PostgreSQL's own writers (WAL, checkpoints), which work for it too. */
async function postgresPids(database: Awaited<ReturnType<typeof createTestDatabase>>): Promise<number[]> {
  const rows = await database.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE (datname = $1 AND pid <> pg_backend_pid()) OR backend_type IN ('walwriter', 'checkpointer', 'background writer')`,
    [database.name],
  );
  return rows.map((row) => row.pid);
}

/** Why the seven processes cannot run here, or undefined when PostgreSQL, Redis and the broker are there. */
async function missingService(): Promise<string | undefined> {
  const client = new pg.Client({ ...TEST_POSTGRES, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    return `PostgreSQL unreachable at ${TEST_POSTGRES.host}:${TEST_POSTGRES.port} (${firstLine(error)}; scripts/ensure-test-services.sh starts it)`;
  } finally {
    await client.end().catch(() => undefined);
  }
  const redis = redisClient();
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    return `Redis unreachable (${firstLine(error)}; scripts/ensure-test-services.sh starts it)`;
  } finally {
    redis.disconnect();
  }
  // Where test/distributed/cluster.ts looks for the broker's start script.
  const broker = process.env.KAFKA_MOCKBROKER_DIR ? join(process.env.KAFKA_MOCKBROKER_DIR, 'start') : resolve(ROOT, '../shared/tools/kafka-mockbroker/start');
  if (!existsSync(broker)) return `no Kafka test broker at ${broker} (set KAFKA_MOCKBROKER_DIR)`;
  // The broker is built at its start from librdkafka's headers: installed here when missing.
  const deps = spawnSync('bash', [resolve(ROOT, 'scripts/install-kafka-mockbroker-deps.sh')], { encoding: 'utf8' });
  if (deps.status !== 0) return `the Kafka test broker's build dependencies are missing (${firstLine(deps.stderr || String(deps.error))})`;
  return undefined;
}

function redisClient(): Redis {
  return new Redis({
    host: process.env.REDIS_HOST ?? '127.0.0.1',
    port: Number(process.env.REDIS_PORT ?? 6379),
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
}

/** The Redis server's process, when it runs on this machine (as it reports in INFO). */
async function redisPid(): Promise<number[]> {
  const redis = redisClient();
  try {
    await redis.connect();
    const pid = Number(/^process_id:(\d+)/m.exec(await redis.info('server'))?.[1]);
    return Number.isInteger(pid) && existsSync(`/proc/${pid}`) ? [pid] : [];
  } catch {
    return [];
  } finally {
    redis.disconnect();
  }
}

async function dropRedisKeys(prefix: string): Promise<void> {
  const redis = redisClient();
  try {
    await redis.connect();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } catch {
    // nothing to clean if Redis is gone
  } finally {
    redis.disconnect();
  }
}
