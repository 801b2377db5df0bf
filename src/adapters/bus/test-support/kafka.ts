import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventBus } from '../../../ports/event-bus.js';
import { KafkaBus, type KafkaBusOptions } from '../kafka-bus.js';

const BOOTSTRAP_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../.tmp/kafka-bootstrap');

/**
 * The test broker's bootstrap: KAFKA_BOOTSTRAP, else what scripts/start-kafka-mockbroker.sh wrote.
 * Throws rather than skipping: a Kafka suite that silently did not run would prove nothing.
 */
export function testKafkaBootstrap(): string {
  const fromEnv = process.env.KAFKA_BOOTSTRAP?.trim();
  if (fromEnv) return fromEnv;
  const fromFile = existsSync(BOOTSTRAP_FILE) ? readFileSync(BOOTSTRAP_FILE, 'utf8').trim() : '';
  if (fromFile) return fromFile;
  throw new Error(
    `No Kafka broker for the *.kafka.test.ts suites: run \`bash scripts/start-kafka-mockbroker.sh\` first (it writes ${BOOTSTRAP_FILE}), or set KAFKA_BOOTSTRAP`,
  );
}

/** Options that suit the mock broker: it holds empty fetches for the full max wait, and joins slowly. */
export function testKafkaBus(options: Partial<KafkaBusOptions> = {}): KafkaBus {
  return new KafkaBus({
    bootstrap: testKafkaBootstrap(),
    clientId: `oms-test-${randomUUID().slice(0, 8)}`,
    maxWaitTimeInMs: 10,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 1_000,
    retryDelayMs: 20,
    ...options,
  });
}

/** A unique suffix per test: the broker is shared and keeps groups' committed offsets across runs. */
export const uniqueSuffix = (): string => randomUUID().slice(0, 8);

/** The bus with every group name suffixed, for suites (like the shared contract) that use fixed group names. */
export function withGroupSuffix(bus: EventBus, suffix: string): EventBus {
  return {
    publish: (messages) => bus.publish(messages),
    subscribe: (options) => {
      const continuesFrom =
        options.continuesFrom && Object.fromEntries(Object.entries(options.continuesFrom).map(([topic, group]) => [topic, `${group}.${suffix}`]));
      return bus.subscribe({ ...options, group: `${options.group}.${suffix}`, ...(continuesFrom ? { continuesFrom } : {}) });
    },
    close: () => bus.close(),
  };
}
