/**
 * Offline checks of the deployment files (run by scripts/validate-deploy.sh):
 *   Dockerfile + .dockerignore, deploy/compose.yaml (+ .env.example, Prometheus, Grafana,
 *   Keycloak realm), deploy/k8s/ (kustomization and every manifest), and the scripts.
 * Schemas: the Compose Specification (shipped by the `dclint` package), the Kubernetes OpenAPI
 * schemas (`kubernetes-models`, Kubernetes 1.27) plus a strict unknown-field check through the
 * same package's TypeScript types (TypeScript's excess-property check), Dockerfile syntax
 * (`dockerfile-utils`). Then the contract: every service's environment names, ports, probes,
 * topics and venues. Tools found on the machine are run too (docker-compose v1 `config`,
 * `docker compose config`, `kubectl kustomize`, `bash -n`, shellcheck).
 *
 * Usage: node --import tsx scripts/validate-deploy.ts [--require-compose-cli]
 * Exit status 1 when any problem is found; every problem is listed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { validate as validateDockerfile, ValidationSeverity } from 'dockerfile-utils';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEPLOY = join(ROOT, 'deploy');
const K8S = join(DEPLOY, 'k8s');
const require = createRequire(import.meta.url);
const REQUIRE_COMPOSE_CLI = process.argv.includes('--require-compose-cli');

// ------------------------------------------------------------------------------ the contract
interface ServiceSpec {
  readonly http: number;
  readonly grpc?: number;
  readonly fix?: readonly number[];
  /** OMS_MODE=distributed is set (every service but broker-simulator, which runs without it). */
  readonly distributed: boolean;
  /** Environment names the service must be given. */
  readonly env: readonly string[];
}

const INFRA_ENV = [
  'POSTGRES_HOST',
  'POSTGRES_PORT',
  'POSTGRES_DB',
  'POSTGRES_USER',
  'POSTGRES_PASSWORD',
  'KAFKA_BOOTSTRAP',
  'REDIS_HOST',
  'REDIS_PORT',
  'LOG_LEVEL',
  'OIDC_ISSUER_URL',
  'OIDC_AUDIENCE',
] as const;

const VENUES: readonly (readonly [string, number])[] = [
  ['XNYS', 9880],
  ['XNAS', 9881],
  ['BATS', 9882],
  ['EDGX', 9883],
  ['DARKX', 9884],
];

/** The services an order's trace crosses: each exports its spans (an empty value turns tracing off). */
const TRACED = 'OTEL_EXPORTER_OTLP_ENDPOINT';

/**
 * OpenTelemetry SDK variables the deployment may set (read by the SDK, not src/config), and the
 * pod's name and namespace from the downward API that OTEL_RESOURCE_ATTRIBUTES names.
 */
const OTEL_ENV = [
  'OTEL_SERVICE_NAME',
  'OTEL_RESOURCE_ATTRIBUTES',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_BSP_SCHEDULE_DELAY',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'POD_NAME',
  'POD_NAMESPACE',
];

const SERVICES: Readonly<Record<string, ServiceSpec>> = {
  // RISK_SERVICE_URL: oms-ingest forwards the risk API (the web blotter's risk view) to risk-service's HTTP port.
  'oms-ingest': { http: 8080, grpc: 50050, distributed: true, env: [...INFRA_ENV, 'PORT', 'GRPC_PORT', 'RISK_SERVICE_URL', TRACED] },
  // SERVICE_AUTH_SECRET: oms-core signs, risk-service checks, the service tokens of the gRPC risk check.
  'oms-core': { http: 8081, distributed: true, env: [...INFRA_ENV, 'PORT', 'RISK_GRPC_URL', 'SERVICE_AUTH_SECRET', TRACED] },
  'sor-engine': { http: 8082, distributed: true, env: [...INFRA_ENV, 'PORT', 'OMS_VENUES', TRACED] },
  'execution-adapter': { http: 8083, distributed: true, env: [...INFRA_ENV, 'PORT', 'OMS_VENUES', TRACED] },
  'risk-service': { http: 8084, grpc: 50054, distributed: true, env: [...INFRA_ENV, 'PORT', 'GRPC_PORT', 'SERVICE_AUTH_SECRET', TRACED] },
  'marketdata-simulator': { http: 8085, grpc: 50055, distributed: true, env: [...INFRA_ENV, 'PORT', 'GRPC_PORT'] },
  // MARKET_FEED=redis: its venues follow marketdata-simulator's steps on Redis (distributed mode).
  'broker-simulator': {
    http: 8086,
    fix: VENUES.map(([, port]) => port),
    distributed: false,
    env: ['PORT', 'LOG_LEVEL', 'OMS_VENUES', 'REDIS_HOST', 'REDIS_PORT', 'MARKET_FEED'],
  },
};

const TOPICS: Readonly<Record<string, number>> = {
  'orders.inbound': 6,
  'orders.validated': 6,
  'orders.routed': 6,
  'executions.fills': 6,
  'orders.status': 6,
  'marketdata.quotes': 3,
};

/** Names the deployment may set besides those read in src/config (the contract's later ones). */
const CONTRACT_ENV = new Set<string>([
  ...INFRA_ENV,
  ...OTEL_ENV,
  'OMS_MODE',
  'PORT',
  'GRPC_PORT',
  'RISK_GRPC_URL',
  'OMS_VENUES',
  'BROKER_MODE',
  'BROKER_HOST',
  'MARKET_FEED',
  'DATA_DIR',
  'MARKET_SEED',
  'MARKET_STEP_MS',
]);

/** Spring Boot's probe paths: liveness for the startup and liveness probes, readiness for the rest. */
const PROBES = { liveness: '/actuator/health/liveness', readiness: '/actuator/health/readiness' } as const;

const INFRA_COMPOSE_SERVICES = ['postgres', 'kafka', 'kafka-init', 'redis', 'keycloak', 'prometheus', 'grafana'];
const REALM_ROLES = ['trader', 'risk-officer', 'viewer'];

// ------------------------------------------------------------------------------ reporting
const problems: string[] = [];
const notes: string[] = [];
let checks = 0;
/** Every HTTP path a probe or health check asks, checked against the served routes at the end. */
const probePaths: { where: string; path: string }[] = [];

function check(ok: boolean, where: string, message: string): boolean {
  checks++;
  if (!ok) problems.push(`${where}: ${message}`);
  return ok;
}
function fail(where: string, message: string): void {
  check(false, where, message);
}
const rel = (path: string) => relative(ROOT, path);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const asObj = (v: unknown): Obj => (isObj(v) ? v : {});
const asArr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function readText(path: string): string | undefined {
  if (!existsSync(path)) {
    fail(rel(path), 'missing');
    return undefined;
  }
  return readFileSync(path, 'utf8');
}

/** YAML with merge keys (`<<: *anchor`), every document; syntax errors become problems. */
function readYamlDocs(path: string): Json[] {
  const text = readText(path);
  if (text === undefined) return [];
  const docs = parseAllDocuments(text, { merge: true, prettyErrors: true });
  const out: Json[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    for (const error of doc.errors) fail(rel(path), `YAML: ${error.message}`);
    for (const warning of doc.warnings) fail(rel(path), `YAML: ${warning.message}`);
    if (doc.errors.length === 0 && doc.contents !== null) out.push(doc.toJS({ maxAliasCount: 1000 }) as Json);
  }
  checks++;
  return out;
}

function readYaml(path: string): Obj {
  const docs = readYamlDocs(path);
  check(docs.length === 1, rel(path), `expected one YAML document, found ${docs.length}`);
  return asObj(docs[0]);
}

function readJson(path: string): Obj {
  const text = readText(path);
  if (text === undefined) return {};
  try {
    return asObj(JSON.parse(text));
  } catch (error) {
    fail(rel(path), `JSON: ${(error as Error).message}`);
    return {};
  }
}

function run(command: string, args: readonly string[], cwd = ROOT): { found: boolean; status: number; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') return { found: false, status: -1, output: '' };
  return { found: true, status: result.status ?? -1, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

// ------------------------------------------------------------------------------ shared rules
/** Every environment name the code reads (src/config) or the contract names. */
function knownEnvNames(): Set<string> {
  const known = new Set(CONTRACT_ENV);
  const dir = join(ROOT, 'src', 'config');
  for (const file of existsSync(dir) ? readdirSync(dir) : []) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    for (const match of text.matchAll(/read\.\w+\(\s*'([A-Z][A-Z0-9_]+)'/g)) known.add(match[1]!);
    for (const match of text.matchAll(/env(?:\.([A-Z][A-Z0-9_]+)|\[\s*'([A-Z][A-Z0-9_]+)'\s*\])/g)) known.add((match[1] ?? match[2])!);
  }
  return known;
}
const KNOWN_ENV = knownEnvNames();

interface Venue {
  name: string;
  host: string;
  port: number;
  sender: string;
  target: string;
}

function parseVenues(where: string, text: string | undefined): Venue[] {
  if (!check(text !== undefined, where, 'OMS_VENUES is not set')) return [];
  const venues: Venue[] = [];
  for (const entry of text!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9_-]+)=([^:]+):(\d+):([^:]+):([^:]+)$/.exec(entry);
    if (!check(m !== null, where, `OMS_VENUES entry "${entry}" is not NAME=host:port:SenderCompID:TargetCompID`)) continue;
    venues.push({ name: m![1]!, host: m![2]!, port: Number(m![3]), sender: m![4]!, target: m![5]! });
  }
  const expected = VENUES.map(([name, port]) => `${name}:${port}`).join(',');
  check(venues.map((v) => `${v.name}:${v.port}`).join(',') === expected, where, `OMS_VENUES venues/ports must be ${expected}`);
  for (const v of venues) {
    check(v.sender === 'OMS' && v.target === v.name, where, `OMS_VENUES ${v.name}: CompIDs should be OMS -> ${v.name}, found ${v.sender} -> ${v.target}`);
  }
  return venues;
}

function parseTopics(where: string, text: string | undefined): void {
  const found: Record<string, number> = {};
  for (const spec of (text ?? '').split(/\s+/).filter(Boolean)) {
    const [topic, partitions] = spec.split(':');
    found[topic!] = Number(partitions);
  }
  check(
    JSON.stringify(Object.entries(found).sort()) === JSON.stringify(Object.entries(TOPICS).sort()),
    where,
    `topics must be ${Object.entries(TOPICS)
      .map(([t, p]) => `${t}:${p}`)
      .join(' ')}; found "${text ?? ''}"`,
  );
}

/**
 * The contract for one service's resolved environment (values may still hold ${...} in compose).
 * `hosts` tells how the other services are reached (compose service / k8s Service names).
 */
function checkServiceEnv(where: string, name: string, env: Record<string, string>, hosts: { hasService: (host: string, port: number) => boolean }): void {
  const spec = SERVICES[name]!;
  for (const key of spec.env) check(key in env, where, `environment lacks ${key}`);
  for (const key of Object.keys(env))
    check(KNOWN_ENV.has(key), where, `environment name ${key} is neither read by src/config nor in the deployment contract (typo?)`);
  check(env.PORT === String(spec.http), where, `PORT must be ${spec.http}, found ${env.PORT ?? '(unset)'}`);
  if (spec.grpc !== undefined) check(env.GRPC_PORT === String(spec.grpc), where, `GRPC_PORT must be ${spec.grpc}, found ${env.GRPC_PORT ?? '(unset)'}`);
  else check(!('GRPC_PORT' in env), where, 'GRPC_PORT is set but this service has no gRPC port in the contract');
  if (spec.distributed) check(env.OMS_MODE === 'distributed', where, `OMS_MODE must be distributed, found ${env.OMS_MODE ?? '(unset)'}`);
  else check(!('OMS_MODE' in env), where, 'OMS_MODE must not be set (broker-simulator runs without it)');
  if ('OMS_VENUES' in env) {
    for (const v of parseVenues(where, env.OMS_VENUES)) {
      check(hosts.hasService(v.host, v.port), where, `OMS_VENUES ${v.name}: nothing serves ${v.host}:${v.port}`);
    }
  }
  if (name === 'oms-core') checkRiskServiceUrl(where, env, 'RISK_GRPC_URL', SERVICES['risk-service']!.grpc!);
  if (name === 'oms-ingest') checkRiskServiceUrl(where, env, 'RISK_SERVICE_URL', SERVICES['risk-service']!.http);
  if ('MARKET_FEED' in env) check(env.MARKET_FEED === 'redis', where, 'MARKET_FEED must be redis (follow marketdata-simulator)');
  if ('OIDC_ISSUER_URL' in env) check(/\/realms\/oms\/?$/.test(env.OIDC_ISSUER_URL!), where, 'OIDC_ISSUER_URL must end with /realms/oms');
  if ('OIDC_AUDIENCE' in env && !env.OIDC_AUDIENCE!.includes('${')) check(env.OIDC_AUDIENCE === 'oms-api', where, 'OIDC_AUDIENCE must be oms-api');
  for (const [key, value] of Object.entries(env)) {
    if (/^(POSTGRES_PORT|REDIS_PORT|PORT|GRPC_PORT)$/.test(key)) check(/^\d+$/.test(value), where, `${key} must be a port number, found ${value}`);
  }
}

/** A URL that must reach risk-service on one of its ports. */
function checkRiskServiceUrl(where: string, env: Record<string, string>, key: string, port: number): void {
  const url = env[key] ?? '';
  const m = /^http:\/\/([^:/]+):(\d+)\/?$/.exec(url);
  check(m !== null && m[1] === 'risk-service' && Number(m[2]) === port, where, `${key} must be http://risk-service:${port}, found ${url || '(unset)'}`);
}

// ------------------------------------------------------------------------------ Dockerfile
function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/^\//, '')
    .replace(/\/$/, '')
    .split('')
    .map((c, i, all) => {
      if (c === '*' && all[i + 1] === '*') return '\u0000';
      if (c === '*') return all[i - 1] === '*' ? '' : '[^/]*';
      if (c === '?') return '[^/]';
      return c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('')
    .replace(/\u0000\/?/g, '(?:.*/)?');
  return new RegExp(`^${body}(?:/.*)?$`);
}

function checkDockerfile(): void {
  const path = join(ROOT, 'Dockerfile');
  const text = readText(path);
  if (text === undefined) return;
  for (const d of validateDockerfile(text)) {
    const where = `Dockerfile:${d.range.start.line + 1}`;
    const message = typeof d.message === 'string' ? d.message : d.message.value;
    if (d.severity === ValidationSeverity.ERROR) fail(where, message);
    else notes.push(`${where}: ${message}`);
  }
  checks++;
  // Instructions, with continuation lines joined.
  const instructions = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => ({ op: l.split(/\s+/)[0]!.toUpperCase(), args: l.slice(l.split(/\s+/)[0]!.length).trim() }));
  const args = new Map<string, string>();
  for (const i of instructions.filter((i) => i.op === 'ARG')) {
    const [k, v] = i.args.split('=');
    if (v !== undefined) args.set(k!, v);
  }
  const froms = instructions.filter((i) => i.op === 'FROM').map((i) => i.args.replace(/\$\{(\w+)\}/g, (_, k: string) => args.get(k) ?? '').split(/\s+/)[0]);
  check(froms.length >= 2, 'Dockerfile', 'must be multi-stage');
  check(
    froms.every((f) => f === 'node:20-bookworm-slim'),
    'Dockerfile',
    `every stage must be node:20-bookworm-slim, found ${froms.join(', ')}`,
  );
  const lastFrom = instructions.map((i) => i.op).lastIndexOf('FROM');
  const runtime = instructions.slice(lastFrom);
  const users = runtime.filter((i) => i.op === 'USER').map((i) => i.args);
  check(users.length > 0 && !/^(root|0)(:|$)/.test(users.at(-1)!), 'Dockerfile', 'the runtime stage must switch to a non-root USER');
  const entry = runtime.filter((i) => i.op === 'ENTRYPOINT').at(-1)?.args;
  check(
    entry !== undefined && JSON.stringify(JSON.parse(entry)) === '["node","dist/main.js"]',
    'Dockerfile',
    `ENTRYPOINT must be ["node","dist/main.js"], found ${entry ?? '(none)'}`,
  );
  const cmd = runtime.filter((i) => i.op === 'CMD').at(-1)?.args;
  check(
    cmd !== undefined && JSON.stringify(JSON.parse(cmd)) === '["--service","oms-ingest"]',
    'Dockerfile',
    `CMD must be ["--service","oms-ingest"], found ${cmd ?? '(none)'}`,
  );
  check(
    instructions.some((i) => i.op === 'RUN' && /npm ci\b(?!.*--omit=dev)/.test(i.args)) &&
      instructions.some((i) => i.op === 'RUN' && /npm run build/.test(i.args)),
    'Dockerfile',
    'the build stage must run npm ci and npm run build',
  );
  check(
    instructions.some((i) => i.op === 'RUN' && /npm ci\b.*--omit=dev/.test(i.args)),
    'Dockerfile',
    'production dependencies must come from npm ci --omit=dev',
  );
  const runtimeCopies = runtime.filter((i) => i.op === 'COPY').map((i) => i.args);
  for (const needed of ['node_modules', 'dist', 'migrations']) {
    check(
      runtimeCopies.some((c) => new RegExp(`\\b${needed}\\b`).test(c)),
      'Dockerfile',
      `the runtime stage must copy ${needed}`,
    );
  }
  // Sources copied from the build context must exist and not be excluded by .dockerignore.
  const ignoreText = readText(join(ROOT, '.dockerignore')) ?? '';
  const ignore = ignoreText
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const excluded = (p: string) => {
    let out = false;
    for (const pattern of ignore) {
      const negate = pattern.startsWith('!');
      if (globToRegExp(negate ? pattern.slice(1) : pattern).test(p)) out = !negate;
    }
    return out;
  };
  for (const i of instructions.filter((i) => i.op === 'COPY' || i.op === 'ADD')) {
    const parts = i.args.split(/\s+/).filter((p) => !p.startsWith('--'));
    if (/--from=/.test(i.args)) continue;
    for (const source of parts.slice(0, -1)) {
      check(existsSync(join(ROOT, source)), 'Dockerfile', `COPY source ${source} does not exist`);
      check(!excluded(source.replace(/^\.\//, '')), 'Dockerfile', `COPY source ${source} is excluded by .dockerignore`);
    }
  }
  for (const p of ['src/main.ts', 'package.json', 'package-lock.json', 'migrations/001_orders.sql', 'tsconfig.build.json']) {
    check(!excluded(p), '.dockerignore', `excludes ${p}, which the image needs`);
  }
  for (const p of ['node_modules', '.git', 'dist', 'data', 'deploy/.env']) check(excluded(p), '.dockerignore', `should exclude ${p}`);
}

// ------------------------------------------------------------------------------ compose
/** Compose's ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}; $$ is a literal $. */
function interpolate(value: string, vars: ReadonlyMap<string, string>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g,
    (all, name: string | undefined, colon: string, op: string, arg: string) => {
      if (all === '$$') return '$';
      const set = vars.get(name!);
      const usable = colon === ':' ? set !== undefined && set !== '' : set !== undefined;
      if (usable) return set!;
      return op === '-' ? arg : '';
    },
  );
}

function composeEnv(service: Obj): Record<string, string> {
  const raw = service.environment;
  const env: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const item of raw) {
      const [k, ...v] = String(item).split('=');
      env[k!] = v.join('=');
    }
  } else {
    for (const [k, v] of Object.entries(asObj(raw))) env[k] = v === null ? '' : String(v);
  }
  return env;
}

function composePorts(service: Obj): { published: string; target: number }[] {
  const out: { published: string; target: number }[] = [];
  for (const p of asArr(service.ports)) {
    if (isObj(p)) {
      out.push({ published: String(p.published ?? ''), target: Number(p.target) });
      continue;
    }
    const text = String(p).replace(/\/(tcp|udp)$/, '');
    const m = /^(?:(?:[\d.]+|\[[^\]]+\]):)?(\d+(?:-\d+)?):(\d+)(?:-(\d+))?$/.exec(text);
    if (!m) {
      out.push({ published: '?', target: NaN });
      continue;
    }
    const [from, to] = [Number(m[2]), Number(m[3] ?? m[2])];
    const publishedFrom = Number(m[1]!.split('-')[0]);
    for (let port = from; port <= to; port++) out.push({ published: String(publishedFrom + port - from), target: port });
  }
  return out;
}

function checkCompose(): void {
  const path = join(DEPLOY, 'compose.yaml');
  const compose = readYaml(path);
  const where = rel(path);

  // 1. The Compose Specification schema (as published by compose-spec, shipped by dclint).
  const schemaPath = join(dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Obj;
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  if (!validate(compose)) {
    for (const e of validate.errors ?? [])
      fail(`${where} (compose-spec schema)`, `${e.instancePath || '/'} ${e.message ?? ''} ${e.params ? JSON.stringify(e.params) : ''}`);
  } else checks++;

  const services = asObj(compose.services);
  const names = Object.keys(services);
  for (const name of [...INFRA_COMPOSE_SERVICES, ...Object.keys(SERVICES)]) check(name in services, where, `service ${name} is missing`);
  const containerPorts = new Map<string, Set<number>>();
  for (const name of names) {
    const s = asObj(services[name]);
    const ports = new Set<number>(composePorts(s).map((p) => p.target));
    const env = composeEnv(s);
    for (const key of ['PORT', 'GRPC_PORT']) if (env[key]) ports.add(Number(env[key]));
    for (const p of SERVICES[name]?.fix ?? []) ports.add(p);
    containerPorts.set(name, ports);
  }
  containerPorts.get('kafka')?.add(9092);
  containerPorts.get('postgres')?.add(5432);
  containerPorts.get('redis')?.add(6379);
  containerPorts.get('keycloak')?.add(8080);
  const hasService = (host: string, port: number) => containerPorts.get(host)?.has(port) ?? false;

  // 2. Dependencies: targets exist, conditions are met by the target, no cycle.
  for (const name of names) {
    const s = asObj(services[name]);
    const deps = Array.isArray(s.depends_on) ? Object.fromEntries(s.depends_on.map((d) => [String(d), { condition: 'service_started' }])) : asObj(s.depends_on);
    for (const [dep, options] of Object.entries(deps)) {
      const condition = str(asObj(options).condition) ?? 'service_started';
      if (!check(dep in services, where, `${name} depends on unknown service ${dep}`)) continue;
      const target = asObj(services[dep]);
      if (condition === 'service_healthy')
        check(isObj(target.healthcheck) && !asObj(target.healthcheck).disable, where, `${name} waits for ${dep} to be healthy but ${dep} has no healthcheck`);
      if (condition === 'service_completed_successfully')
        check(str(target.restart) === 'no' || target.restart === undefined, where, `${name} waits for ${dep} to complete but ${dep} restarts`);
    }
  }
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    if (done.has(name)) return;
    if (visiting.has(name)) {
      fail(where, `depends_on cycle: ${[...path, name].join(' -> ')}`);
      return;
    }
    visiting.add(name);
    for (const dep of Object.keys(asObj(asObj(services[name]).depends_on))) if (dep in services) visit(dep, [...path, name]);
    visiting.delete(name);
    done.add(name);
  };
  names.forEach((n) => visit(n, []));
  checks++;

  // 3. Infrastructure.
  for (const name of INFRA_COMPOSE_SERVICES.filter((n) => n !== 'kafka-init')) {
    check(isObj(asObj(services[name]).healthcheck), where, `${name} needs a healthcheck`);
  }
  const image = (n: string) => str(asObj(services[n]).image) ?? '';
  check(/^postgres:15(\b|$)/.test(image('postgres')), where, `postgres must be postgres:15, found ${image('postgres')}`);
  check(/^apache\/kafka:/.test(image('kafka')) && image('kafka-init') === image('kafka'), where, 'kafka and kafka-init must use the same apache/kafka image');
  check(/^redis:7(\b|$)/.test(image('redis')), where, `redis must be redis:7, found ${image('redis')}`);
  check(image('keycloak').startsWith('quay.io/keycloak/keycloak:'), where, 'keycloak must use quay.io/keycloak/keycloak');
  const kafkaEnv = composeEnv(asObj(services.kafka));
  check(
    /broker/.test(kafkaEnv.KAFKA_PROCESS_ROLES ?? '') && /controller/.test(kafkaEnv.KAFKA_PROCESS_ROLES ?? ''),
    where,
    'kafka must run KRaft (KAFKA_PROCESS_ROLES broker,controller)',
  );
  check((kafkaEnv.KAFKA_ADVERTISED_LISTENERS ?? '').includes('kafka:9092'), where, 'kafka must advertise kafka:9092 to the other containers');
  check(kafkaEnv.KAFKA_AUTO_CREATE_TOPICS_ENABLE === 'false', where, 'kafka: topics come from kafka-init, auto-creation must be off');
  check(/^[A-Za-z0-9_-]{22}$/.test(kafkaEnv.CLUSTER_ID ?? ''), where, 'kafka: CLUSTER_ID must be a base64 UUID (22 characters)');
  parseTopics(`${where} kafka-init`, composeEnv(asObj(services['kafka-init'])).KAFKA_TOPICS);
  check(JSON.stringify(asObj(services['kafka-init'])).includes('--if-not-exists'), where, 'kafka-init must create topics with --if-not-exists');
  const pgEnv = composeEnv(asObj(services.postgres));
  check(
    /^\$\{POSTGRES_PASSWORD[:?}]/.test(pgEnv.POSTGRES_PASSWORD ?? ''),
    where,
    'postgres: POSTGRES_PASSWORD must come from the env file (${POSTGRES_PASSWORD...})',
  );
  const kc = asObj(services.keycloak);
  const kcCommand = asArr(kc.command).map(String).join(' ') + String(typeof kc.command === 'string' ? kc.command : '');
  check(/start-dev/.test(kcCommand) && /--import-realm/.test(kcCommand), where, 'keycloak must run start-dev --import-realm');
  check(
    asArr(kc.volumes).some((v) => /keycloak\/oms-realm\.json:\/opt\/keycloak\/data\/import\//.test(String(v))),
    where,
    'keycloak must mount ./keycloak/oms-realm.json into /opt/keycloak/data/import/',
  );
  check(
    asArr(asObj(services.prometheus).volumes).some((v) => String(v).startsWith('./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml')),
    where,
    'prometheus must mount ./prometheus/prometheus.yml',
  );
  check(
    asArr(asObj(services.grafana).volumes).some((v) => String(v).startsWith('./grafana/provisioning:/etc/grafana/provisioning')),
    where,
    'grafana must mount ./grafana/provisioning',
  );

  // 4. The seven services.
  const envExample = readText(join(DEPLOY, '.env.example')) ?? '';
  const exampleVars = new Map(
    envExample
      .split(/\r?\n/)
      .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
      .map((l) => [l.split('=')[0]!, l.slice(l.indexOf('=') + 1)]),
  );
  const omsImages = new Set<string>();
  for (const [name, spec] of Object.entries(SERVICES)) {
    const s = asObj(services[name]);
    const at = `${where} ${name}`;
    if (!isObj(services[name])) continue;
    const env = composeEnv(s);
    // As compose would run it with deploy/.env.example.
    checkServiceEnv(at, name, Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(v, exampleVars)])), { hasService });
    omsImages.add(image(name));
    const build = asObj(s.build);
    check(
      str(build.context) === '..' && (str(build.dockerfile) ?? 'Dockerfile') === 'Dockerfile',
      at,
      'must build from the repository root Dockerfile (context ..)',
    );
    check(JSON.stringify(asArr(s.command).map(String)) === JSON.stringify(['--service', name]), at, `command must be ["--service", "${name}"]`);
    const test = asArr(asObj(s.healthcheck).test).map(String).join(' ');
    // Compose restarts nothing on a failed check; depends_on waits for "can take orders".
    check(
      test.includes(`http://127.0.0.1:${spec.http}${PROBES.readiness}'`) && /^CMD node -e /.test(test),
      at,
      `healthcheck must be a node fetch of http://127.0.0.1:${spec.http}${PROBES.readiness}`,
    );
    for (const match of test.matchAll(/https?:\/\/[^/'"\s]+(\/[^'"\s)]*)/g)) probePaths.push({ where: `${at} healthcheck`, path: match[1]! });
    const ports = composePorts(s);
    for (const port of [spec.http, ...(spec.grpc ? [spec.grpc] : []), ...(spec.fix ?? [])]) {
      check(
        ports.some((p) => p.target === port && p.published === String(port)),
        at,
        `must publish ${port}:${port}`,
      );
    }
    for (const p of ports) check(Number.isFinite(p.target), at, 'unreadable ports entry');
    for (const [key, value] of Object.entries(env)) {
      if (/PASSWORD|SECRET|TOKEN/.test(key))
        check(
          /^\$\{[A-Z0-9_]+(:?[-?][^}]*)?\}$/.test(value) && !/:-/.test(value),
          at,
          `${key} must come from the env file (\${${key}:?...}), not a value in the compose file`,
        );
    }
    const deps = asObj(s.depends_on);
    if (spec.distributed) {
      for (const [dep, condition] of [
        ['postgres', 'service_healthy'],
        ['kafka', 'service_healthy'],
        ['kafka-init', 'service_completed_successfully'],
        ['redis', 'service_healthy'],
      ] as const) {
        check(str(asObj(deps[dep]).condition) === condition, at, `must depend on ${dep} with condition ${condition}`);
      }
    }
    if (name === 'oms-core') check(str(asObj(deps['risk-service']).condition) === 'service_healthy', at, 'must wait for risk-service to be healthy');
    if (name === 'execution-adapter')
      check(str(asObj(deps['broker-simulator']).condition) === 'service_healthy', at, 'must wait for broker-simulator to be healthy');
    if (spec.distributed) {
      check(env.POSTGRES_HOST === 'postgres' && env.POSTGRES_PORT === '5432', at, 'POSTGRES_HOST/PORT must be postgres:5432');
      check(env.REDIS_HOST === 'redis' && env.REDIS_PORT === '6379', at, 'REDIS_HOST/PORT must be redis:6379');
    }
    if ('KAFKA_BOOTSTRAP' in env) {
      check(env.KAFKA_BOOTSTRAP === 'kafka:9092', at, 'KAFKA_BOOTSTRAP must be kafka:9092');
      check(str(asObj(deps['kafka-init']).condition) === 'service_completed_successfully', at, 'uses Kafka, so must wait for kafka-init to complete');
    }
  }
  check(omsImages.size === 1, where, `the seven services must share one image, found ${[...omsImages].join(', ')}`);
  const httpPorts = Object.values(SERVICES).map((s) => s.http);
  check(new Set(httpPorts).size === httpPorts.length, where, 'HTTP ports must be distinct');

  // 5. Every host port is published once.
  const published = new Map<string, string>();
  for (const name of names) {
    for (const p of composePorts(asObj(services[name]))) {
      check(!published.has(p.published), where, `host port ${p.published} is published by ${published.get(p.published)} and ${name}`);
      published.set(p.published, name);
    }
  }

  // 6. Variables: every ${VAR} without a default is in .env.example; no literal password.
  const composeText = readFileSync(path, 'utf8');
  for (const m of composeText.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?[^}]*\}/g)) {
    const [, variable, op] = m;
    if (op === undefined || op.endsWith('?'))
      check(exampleVars.has(variable!), `${rel(DEPLOY)}/.env.example`, `must define ${variable} (required by compose.yaml)`);
  }
  for (const [k, v] of exampleVars)
    if (/PASSWORD|SECRET/.test(k)) check(/dev-only|change-me/i.test(v), `${rel(DEPLOY)}/.env.example`, `${k} must be a clearly marked development placeholder`);
  check(
    !/^\s*[A-Z0-9_]*(PASSWORD|SECRET)[A-Z0-9_]*:[ \t]*(?!\$\{)\S/m.test(composeText.replace(/^\s*#.*$/gm, '')),
    where,
    'a password is written in the compose file; take it from the env file',
  );

  // 7. Prometheus scrapes every service; Grafana is provisioned with it.
  const prom = readYaml(join(DEPLOY, 'prometheus', 'prometheus.yml'));
  const jobs = asArr(prom.scrape_configs).map(asObj);
  for (const [name, spec] of Object.entries(SERVICES)) {
    const target = `${name}:${spec.http}`;
    const job = jobs.find((j) => asArr(j.static_configs).some((sc) => asArr(asObj(sc).targets).includes(target)));
    if (check(job !== undefined, 'deploy/prometheus/prometheus.yml', `does not scrape ${target}`)) {
      check(str(job!.metrics_path) === '/actuator/prometheus', 'deploy/prometheus/prometheus.yml', `${target} must be scraped at /actuator/prometheus`);
    }
  }
  const datasources = readYaml(join(DEPLOY, 'grafana', 'provisioning', 'datasources', 'prometheus.yaml'));
  const ds = asArr(datasources.datasources).map(asObj);
  check(
    ds.some((d) => d.type === 'prometheus' && d.url === 'http://prometheus:9090'),
    'deploy/grafana/provisioning/datasources/prometheus.yaml',
    'needs a prometheus datasource at http://prometheus:9090',
  );
  const providers = asArr(readYaml(join(DEPLOY, 'grafana', 'provisioning', 'dashboards', 'oms.yaml')).providers).map(asObj);
  const dashboardPath = str(asObj(providers[0]?.options).path);
  check(
    asArr(asObj(services.grafana).volumes).some((v) => String(v).startsWith(`./grafana/dashboards:${dashboardPath}`)),
    where,
    `grafana must mount ./grafana/dashboards at the provider path ${dashboardPath ?? '(none)'}`,
  );
  const dashboardsDir = join(DEPLOY, 'grafana', 'dashboards');
  const uids = new Set(ds.map((d) => str(d.uid)));
  for (const file of existsSync(dashboardsDir) ? readdirSync(dashboardsDir).filter((f) => f.endsWith('.json')) : []) {
    const dashboard = readJson(join(dashboardsDir, file));
    for (const panel of asArr(dashboard.panels).map(asObj)) {
      check(uids.has(str(asObj(panel.datasource).uid)), `deploy/grafana/dashboards/${file}`, `panel "${str(panel.title)}" uses an unknown datasource`);
    }
  }

  // 8. Keycloak realm.
  const realm = readJson(join(DEPLOY, 'keycloak', 'oms-realm.json'));
  const at = 'deploy/keycloak/oms-realm.json';
  check(realm.realm === 'oms' && realm.enabled === true, at, 'realm must be "oms", enabled');
  const roles = asArr(asObj(realm.roles).realm).map((r) => str(asObj(r).name));
  for (const role of REALM_ROLES) check(roles.includes(role), at, `realm role ${role} is missing`);
  check(
    asArr(realm.clients).some((c) => asObj(c).clientId === 'oms-api'),
    at,
    'client oms-api is missing',
  );
  for (const role of REALM_ROLES) {
    const user = asArr(realm.users)
      .map(asObj)
      .find((u) => asArr(u.realmRoles).includes(role));
    if (!check(user !== undefined, at, `no test user with role ${role}`)) continue;
    const password = str(asObj(asArr(user!.credentials)[0]).value) ?? '';
    check(/dev-only/.test(password), at, `user ${str(user!.username)}: the password must be clearly marked development-only`);
  }

  // 9. The Compose CLIs, where present: they parse, merge and interpolate like `up` does.
  const envFile = join(DEPLOY, '.env.example');
  const v1 = run('docker-compose', ['-p', 'oms-sor', '-f', path, '--env-file', envFile, 'config', '-q']);
  if (v1.found) check(v1.status === 0, 'docker-compose (v1) config', v1.output || `exit ${v1.status}`);
  else if (REQUIRE_COMPOSE_CLI) fail('docker-compose (v1) config', 'docker-compose is not installed');
  else notes.push('docker-compose (v1) not installed: its `config` check was skipped');
  const v2 = run('docker', ['compose', '-p', 'oms-sor', '-f', path, '--env-file', envFile, 'config', '-q']);
  if (v2.found && v2.status === 0) checks++;
  else if (v2.found && !/unknown command|is not a docker command|unknown shorthand/.test(v2.output)) fail('docker compose (v2) config', v2.output);
  else notes.push('docker compose (v2 plugin) not available: its `config` check was skipped');
}

// ------------------------------------------------------------------------------ Kubernetes
interface K8sDoc {
  file: string;
  index: number;
  obj: Obj;
}

async function validateK8sSchema(docs: readonly K8sDoc[]): Promise<void> {
  for (const d of docs) {
    const apiVersion = str(d.obj.apiVersion) ?? '';
    const kind = str(d.obj.kind) ?? '';
    const where = `${d.file}#${d.index} ${kind}/${str(asObj(d.obj.metadata).name) ?? '?'}`;
    let model: { new (data: unknown): { validate(): void } } | undefined;
    try {
      const mod = (await import(`kubernetes-models/${apiVersion}/${kind}`)) as Record<string, { new (data: unknown): { validate(): void } }>;
      model = mod[kind];
    } catch {
      model = undefined;
    }
    if (!check(model !== undefined, where, `unknown apiVersion/kind ${apiVersion}/${kind}`)) continue;
    try {
      new model!(d.obj).validate();
      checks++;
    } catch (error) {
      fail(`${where} (Kubernetes schema)`, (error as Error).message);
    }
  }
}

/**
 * kubeconform's -strict: a field the Kubernetes types do not have is an error (a typo such as
 * `readinesProbe` passes the OpenAPI schema). Each document becomes an object literal typed with
 * kubernetes-models' interface, and TypeScript's excess-property check reports unknown fields.
 */
function strictK8sFields(docs: readonly K8sDoc[]): void {
  const dir = join(ROOT, '.tmp', 'validate-deploy');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'k8s-strict.ts');
  const lines: string[] = [];
  const where: string[] = [];
  docs.forEach((d, i) => {
    const apiVersion = str(d.obj.apiVersion) ?? '';
    const kind = str(d.obj.kind) ?? '';
    lines.push(`import type { I${kind} as T${i} } from 'kubernetes-models/${apiVersion}/${kind}';`);
    where.push(`${d.file}#${d.index} ${kind}/${str(asObj(d.obj.metadata).name) ?? '?'}`);
  });
  const firstDocLine = lines.length;
  docs.forEach((d, i) => lines.push(`export const doc${i}: T${i} = ${JSON.stringify(d.obj)};`));
  writeFileSync(file, `${lines.join('\n')}\n`);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  for (const d of diagnostics) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n').at(-1)!;
    let at = 'deploy/k8s (strict fields)';
    if (d.file && d.start !== undefined) {
      const line = d.file.getLineAndCharacterOfPosition(d.start).line;
      const docIndex = line - firstDocLine;
      if (docIndex >= 0 && docIndex < where.length) {
        at = `${where[docIndex]} (strict fields)`;
        const column = d.file.getLineAndCharacterOfPosition(d.start).character;
        const context = d.file.text.split('\n')[line]!.slice(Math.max(0, column - 40), column + 40);
        fail(at, `${message}  near …${context}…`);
        continue;
      }
    }
    fail(at, message);
  }
  checks++;
  rmSync(dir, { recursive: true, force: true });
}

async function checkK8s(): Promise<void> {
  const kustomizationPath = join(K8S, 'kustomization.yaml');
  const kustomization = readYaml(kustomizationPath);
  const resources = asArr(kustomization.resources).map(String);
  const files = existsSync(K8S) ? readdirSync(K8S).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml') : [];
  for (const f of files) check(resources.includes(f), rel(kustomizationPath), `does not list ${f}`);
  const namespace = str(kustomization.namespace);
  check(namespace === 'oms', rel(kustomizationPath), 'namespace must be oms');
  const imageOverrides = asArr(kustomization.images).map((i) => str(asObj(i).name));

  const docs: K8sDoc[] = [];
  for (const file of resources) {
    readYamlDocs(join(K8S, file)).forEach((obj, index) => {
      if (check(isObj(obj) && typeof obj.kind === 'string' && typeof obj.apiVersion === 'string', `deploy/k8s/${file}#${index}`, 'not a Kubernetes object')) {
        docs.push({ file: `deploy/k8s/${file}`, index, obj: obj as Obj });
      }
    });
  }
  await validateK8sSchema(docs);
  strictK8sFields(docs);

  const byKind = (kind: string) => docs.filter((d) => d.obj.kind === kind);
  const named = (kind: string, name: string) => byKind(kind).find((d) => asObj(d.obj.metadata).name === name)?.obj;
  for (const d of docs) {
    const ns = str(asObj(d.obj.metadata).namespace);
    check(ns === undefined || ns === namespace, d.file, `metadata.namespace ${ns} differs from the kustomization's ${namespace}`);
  }
  check(
    byKind('Namespace').some((d) => asObj(d.obj.metadata).name === namespace),
    'deploy/k8s',
    `no Namespace ${namespace}`,
  );
  const configMaps = new Map(byKind('ConfigMap').map((d) => [str(asObj(d.obj.metadata).name)!, asObj(d.obj.data)]));
  const secrets = new Map(byKind('Secret').map((d) => [str(asObj(d.obj.metadata).name)!, { ...asObj(d.obj.data), ...asObj(d.obj.stringData) }]));
  for (const [name, data] of secrets) {
    for (const [key, value] of Object.entries(data))
      notes.push(`deploy/k8s Secret ${name}/${key} holds "${String(value).slice(0, 12)}…": replace it before deploying`);
  }
  for (const [name, data] of configMaps) {
    for (const key of Object.keys(data)) check(!/PASSWORD|SECRET|TOKEN/.test(key), `deploy/k8s ConfigMap ${name}`, `${key} belongs in a Secret`);
  }

  // Which Service serves which port (for OMS_VENUES and RISK_GRPC_URL).
  const servicePorts = new Map<string, Set<number>>();
  for (const d of byKind('Service')) {
    servicePorts.set(str(asObj(d.obj.metadata).name)!, new Set(asArr(asObj(d.obj.spec).ports).map((p) => Number(asObj(p).port))));
  }
  const hasService = (host: string, port: number) => servicePorts.get(host.split('.')[0]!)?.has(port) ?? false;

  const jobs = byKind('Job');
  const topicJob = jobs.find((j) => JSON.stringify(j.obj).includes('kafka-topics.sh'));
  if (check(topicJob !== undefined, 'deploy/k8s', 'no Job creating the Kafka topics')) {
    const container = asObj(asArr(asObj(asObj(asObj(asObj(topicJob!.obj.spec).template).spec)).containers)[0]);
    const topics = asArr(container.env)
      .map(asObj)
      .find((e) => e.name === 'KAFKA_TOPICS');
    parseTopics(`${topicJob!.file} KAFKA_TOPICS`, str(topics?.value));
    check(JSON.stringify(container).includes('--if-not-exists'), topicJob!.file, 'must create topics with --if-not-exists');
  }

  for (const [name, spec] of Object.entries(SERVICES)) {
    const deployment = named('Deployment', name);
    const at = `deploy/k8s Deployment/${name}`;
    if (!check(deployment !== undefined, 'deploy/k8s', `no Deployment ${name}`)) continue;
    const dspec = asObj(deployment!.spec);
    const template = asObj(dspec.template);
    const labels = asObj(asObj(template.metadata).labels);
    const selector = asObj(asObj(dspec.selector).matchLabels);
    check(
      Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v),
      at,
      'selector.matchLabels must match the template labels',
    );
    const podSpec = asObj(template.spec);
    const containers = asArr(podSpec.containers).map(asObj);
    if (!check(containers.length === 1, at, 'expected one container')) continue;
    const c = containers[0]!;
    const image = str(c.image) ?? '';
    check(imageOverrides.includes(image.split(':')[0]!), at, `image ${image} is not in the kustomization's images (so its tag cannot be set there)`);
    check(JSON.stringify(asArr(c.args).map(String)) === JSON.stringify(['--service', name]), at, `args must be ["--service", "${name}"]`);
    check(c.command === undefined, at, 'must keep the image ENTRYPOINT (no command)');
    const ports = asArr(c.ports).map(asObj);
    const portByName = new Map(ports.map((p) => [str(p.name), Number(p.containerPort)]));
    check(portByName.get('http') === spec.http, at, `container port "http" must be ${spec.http}`);
    if (spec.grpc !== undefined) check(portByName.get('grpc') === spec.grpc, at, `container port "grpc" must be ${spec.grpc}`);
    for (const fixPort of spec.fix ?? [])
      check(
        ports.some((p) => Number(p.containerPort) === fixPort),
        at,
        `container port ${fixPort} (FIX) is missing`,
      );
    // Liveness (and startup) never depend on the database or venues: their outage must not restart the pod.
    for (const [probe, path] of [
      ['startupProbe', PROBES.liveness],
      ['readinessProbe', PROBES.readiness],
      ['livenessProbe', PROBES.liveness],
    ] as const) {
      const get = asObj(asObj(c[probe]).httpGet);
      check(get.path === path && get.port === 'http', at, `${probe} must be httpGet ${path} on port http`);
      if (typeof get.path === 'string') probePaths.push({ where: `${at} ${probe}`, path: get.path });
    }
    const resources = asObj(c.resources);
    for (const kind of ['requests', 'limits'])
      for (const r of ['cpu', 'memory']) check(asObj(resources[kind])[r] !== undefined, at, `resources.${kind}.${r} is missing`);
    const sc = asObj(podSpec.securityContext);
    check(sc.runAsNonRoot === true, at, 'must run as non-root (securityContext.runAsNonRoot)');
    if (asObj(c.securityContext).readOnlyRootFilesystem === true) {
      const mounts = asArr(c.volumeMounts).map((m) => str(asObj(m).mountPath));
      check(mounts.includes('/app/data') && mounts.includes('/tmp'), at, 'a read-only root filesystem needs writable /app/data and /tmp');
    }
    // The resolved environment: envFrom ConfigMaps/Secrets, then env.
    const env: Record<string, string> = {};
    for (const from of asArr(c.envFrom).map(asObj)) {
      const cm = str(asObj(from.configMapRef).name);
      const secret = str(asObj(from.secretRef).name);
      if (cm !== undefined && check(configMaps.has(cm), at, `envFrom ConfigMap ${cm} does not exist`))
        for (const [k, v] of Object.entries(configMaps.get(cm)!)) env[k] = String(v);
      if (secret !== undefined && check(secrets.has(secret), at, `envFrom Secret ${secret} does not exist`))
        for (const k of Object.keys(secrets.get(secret)!)) env[k] = '<secret>';
    }
    for (const e of asArr(c.env).map(asObj)) {
      const key = str(e.name)!;
      const ref = asObj(e.valueFrom);
      const cmRef = asObj(ref.configMapKeyRef);
      const secretRef = asObj(ref.secretKeyRef);
      if (e.value !== undefined) env[key] = String(e.value);
      else if (cmRef.name !== undefined) {
        const data = configMaps.get(str(cmRef.name)!);
        if (check(data !== undefined && str(cmRef.key)! in data, at, `${key}: ConfigMap ${str(cmRef.name)} has no key ${str(cmRef.key)}`))
          env[key] = String(data![str(cmRef.key)!]);
      } else if (secretRef.name !== undefined) {
        const data = secrets.get(str(secretRef.name)!);
        if (check(data !== undefined && str(secretRef.key)! in data, at, `${key}: Secret ${str(secretRef.name)} has no key ${str(secretRef.key)}`))
          env[key] = '<secret>';
      } else if (str(asObj(ref.fieldRef).fieldPath) !== undefined) env[key] = `<${str(asObj(ref.fieldRef).fieldPath)}>`;
      else fail(at, `${key} has neither value nor valueFrom`);
    }
    for (const key of ['POSTGRES_PASSWORD', 'SERVICE_AUTH_SECRET']) if (key in env) check(env[key] === '<secret>', at, `${key} must come from a Secret`);
    checkServiceEnv(at, name, env, { hasService });
    const annotations = asObj(asObj(template.metadata).annotations);
    if (annotations['prometheus.io/port'] !== undefined)
      check(
        annotations['prometheus.io/port'] === String(spec.http) && annotations['prometheus.io/path'] === '/actuator/prometheus',
        at,
        'prometheus.io annotations must point at the http port and /actuator/prometheus',
      );
    if (name === 'execution-adapter' || name === 'broker-simulator') {
      check(asObj(dspec.strategy).type === 'Recreate' && (dspec.replicas ?? 1) === 1, at, 'FIX sessions must never run twice: one replica, strategy Recreate');
    }

    const service = named('Service', name);
    const sat = `deploy/k8s Service/${name}`;
    if (!check(service !== undefined, 'deploy/k8s', `no Service ${name}`)) continue;
    const sspec = asObj(service!.spec);
    const sselector = asObj(sspec.selector);
    check(
      Object.keys(sselector).length > 0 && Object.entries(sselector).every(([k, v]) => labels[k] === v),
      sat,
      `selector does not select the pods of Deployment ${name}`,
    );
    for (const p of asArr(sspec.ports).map(asObj)) {
      const target = p.targetPort ?? p.port;
      const containerPort = typeof target === 'string' ? portByName.get(target) : Number(target);
      check(
        containerPort !== undefined && ports.some((cp) => Number(cp.containerPort) === containerPort),
        sat,
        `targetPort ${String(target)} is not a container port`,
      );
      check(containerPort === Number(p.port), sat, `port ${String(p.port)} should equal its container port ${String(containerPort)} (the contract's ports)`);
    }
    for (const port of [spec.http, ...(spec.grpc ? [spec.grpc] : []), ...(spec.fix ?? [])]) {
      check(
        asArr(sspec.ports).some((p) => Number(asObj(p).port) === port),
        sat,
        `does not expose ${port}`,
      );
    }
  }

  // kubectl's kustomize, where present: the kustomization builds.
  const kubectl = run('kubectl', ['kustomize', K8S]);
  if (kubectl.found) {
    if (check(kubectl.status === 0, 'kubectl kustomize deploy/k8s', kubectl.output)) {
      const built = parseAllDocuments(kubectl.output);
      const count = Array.isArray(built) ? built.length : 1;
      check(count === docs.length, 'kubectl kustomize deploy/k8s', `built ${count} objects, the files hold ${docs.length}`);
    }
  } else notes.push('kubectl not installed: the `kubectl kustomize` check was skipped');
}

// ------------------------------------------------------------------------------ scripts
function checkScripts(): void {
  for (const name of ['start-infra.sh', 'build-all.sh', 'stop-infra.sh', 'validate-deploy.sh']) {
    const path = join(ROOT, 'scripts', name);
    const text = readText(path);
    if (text === undefined) continue;
    check(text.startsWith('#!/usr/bin/env bash'), rel(path), 'must start with #!/usr/bin/env bash');
    check(/^set -euo pipefail$/m.test(text), rel(path), 'must set -euo pipefail');
    const syntax = run('bash', ['-n', path]);
    check(syntax.status === 0, rel(path), `bash -n: ${syntax.output}`);
    if (name !== 'validate-deploy.sh') check(/command -v docker/.test(text), rel(path), 'must check that docker is installed');
    const shellcheck = run('shellcheck', ['-S', 'warning', path]);
    if (shellcheck.found) check(shellcheck.status === 0, `${rel(path)} (shellcheck)`, shellcheck.output);
  }
  for (const name of ['start-infra.sh', 'stop-infra.sh']) {
    const text = readFileSync(join(ROOT, 'scripts', name), 'utf8');
    check(text.includes('deploy/compose.yaml'), `scripts/${name}`, 'must use deploy/compose.yaml');
  }
  const start = readFileSync(join(ROOT, 'scripts', 'start-infra.sh'), 'utf8');
  for (const service of INFRA_COMPOSE_SERVICES) check(new RegExp(`\\b${service}\\b`).test(start), 'scripts/start-infra.sh', `does not start ${service}`);
}

// ------------------------------------------------------------------------------ the code
/**
 * The contract above against what the code declares, where it declares it (service names and
 * default ports in src/config/config.ts, topics and partitions in src/adapters/bus/kafka-topics.ts).
 */
async function checkAgainstCode(): Promise<void> {
  const load = async (path: string): Promise<Record<string, unknown> | undefined> => {
    if (!existsSync(join(ROOT, path))) return undefined;
    try {
      return (await import(join(ROOT, path))) as Record<string, unknown>;
    } catch (error) {
      fail(path, `cannot be loaded to compare with the deployment: ${(error as Error).message}`);
      return undefined;
    }
  };
  const config = await load('src/config/config.ts');
  const names = config?.SERVICE_NAMES;
  const http = config?.defaultHttpPort;
  const grpc = config?.defaultGrpcPort;
  if (Array.isArray(names) && typeof http === 'function' && typeof grpc === 'function') {
    check(
      JSON.stringify([...names].sort()) === JSON.stringify(Object.keys(SERVICES).sort()),
      'src/config/config.ts',
      `SERVICE_NAMES ${names.join(',')} differ from the deployment's services`,
    );
    for (const [name, spec] of Object.entries(SERVICES)) {
      check(http(name) === spec.http, 'src/config/config.ts', `defaultHttpPort(${name}) is ${String(http(name))}, the deployment uses ${spec.http}`);
      if (spec.grpc !== undefined)
        check(grpc(name) === spec.grpc, 'src/config/config.ts', `defaultGrpcPort(${name}) is ${String(grpc(name))}, the deployment uses ${spec.grpc}`);
    }
  } else notes.push('src/config/config.ts has no SERVICE_NAMES/defaultHttpPort/defaultGrpcPort: service names and ports not compared with the code');
  const topics = await load('src/adapters/bus/kafka-topics.ts');
  if (typeof topics?.kafkaTopicSpecs === 'function') {
    parseTopics('src/adapters/bus/kafka-topics.ts kafkaTopicSpecs()', (topics.kafkaTopicSpecs as () => string[])().join(' '));
  } else notes.push('src/adapters/bus/kafka-topics.ts has no kafkaTopicSpecs(): topics not compared with the code');
}

/**
 * Every probe path is one the services serve: the actuator routes (registered alike by every
 * service, embedded and broker simulator included) on a bare Fastify app, asked by method and URL.
 */
async function checkProbePaths(): Promise<void> {
  const where = 'src/adapters/http/actuator-routes.ts';
  let hasRoute: (path: string) => boolean;
  try {
    const { registerActuatorRoutes } = (await import(join(ROOT, where))) as typeof import('../src/adapters/http/actuator-routes.js');
    const { default: Fastify } = await import('fastify');
    const { Registry } = await import('prom-client');
    const app = Fastify();
    registerActuatorRoutes(app, { health: [], registry: new Registry() });
    await app.ready();
    hasRoute = (path) => app.hasRoute({ method: 'GET', url: path.split('?')[0]! });
  } catch (error) {
    return fail(where, `cannot be loaded to check the probes' paths: ${(error as Error).message}`);
  }
  check(probePaths.length > 0, 'deploy/', 'no probe or health check path found');
  for (const { where: at, path } of probePaths) check(hasRoute(path), at, `probe path ${path} is served by no route (${where})`);
}

// ------------------------------------------------------------------------------ main
checkDockerfile();
checkCompose();
await checkK8s();
checkScripts();
await checkAgainstCode();
await checkProbePaths();
// Every YAML file under deploy/ parses (duplicate keys are errors), also those no check above reads.
for (const file of readdirSync(DEPLOY, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f))) readYamlDocs(join(DEPLOY, file));

for (const note of notes) console.log(`note: ${note}`);
if (problems.length > 0) {
  for (const problem of new Set(problems)) console.error(`PROBLEM ${problem}`);
  console.error(`validate-deploy: ${problems.length} problem(s) in ${checks} checks`);
  process.exit(1);
}
console.log(`validate-deploy: all ${checks} checks OK`);
