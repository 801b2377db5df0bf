import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layer rules of eslint.config.js, checked on source they must refuse and source they must
 * let through: `npm run lint` enforces them on the tree, this shows the rules themselves hold
 * (deep folders included, which a pattern on the import's text missed).
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
}

describe('the layer rules', () => {
  it('keep the domain pure, however deep the file', async () => {
    const errors = await layerErrors(
      'src/domain/order/deeper/probe.ts',
      "import { SqlOrderRecords } from '../../../adapters/sql/orders/sql-order-records.js';\nexport const x = SqlOrderRecords;\n",
    );
    expect(errors).toEqual([expect.stringContaining('domain/ is pure')]);
    expect(await layerErrors('src/domain/order/probe.ts', "import { formatDecimal } from '../money/price.js';\nexport const x = formatDecimal;\n")).toEqual([]);
  });

  it('let services use domain/ and ports/ but no adapter', async () => {
    expect(
      await layerErrors(
        'src/services/oms-core/probe.ts',
        "import type { Logger } from '../../adapters/observability/pino-logger.js';\nexport type X = Logger;\n",
      ),
    ).toEqual([expect.stringContaining('services/ import domain/, ports/ and lib/ only')]);
    expect(await layerErrors('src/services/oms-core/probe.ts', "import type { Logger } from '../../ports/logger.js';\nexport type X = Logger;\n")).toEqual([]);
  });

  it('keep adapters off services, the FIX engine off the OMS, and app/ to itself', async () => {
    expect(
      await layerErrors(
        'src/adapters/http/probe.ts',
        "import type { OrderUpdateHub } from '../../services/oms-ingest/order-update-hub.js';\nexport type X = OrderUpdateHub;\n",
      ),
    ).toEqual([expect.stringContaining('adapters/ never import services/')]);
    expect(await layerErrors('src/fix/probe.ts', "import type { Order } from '../domain/order/order.js';\nexport type X = Order;\n")).toEqual([
      expect.stringContaining('fix/ is a FIX engine of its own'),
    ]);
    expect(
      await layerErrors('src/adapters/sql/probe.ts', "import { startEmbeddedSystem } from '../../app/embedded.js';\nexport const x = startEmbeddedSystem;\n"),
    ).toEqual([expect.stringContaining('Only app/ composes')]);
  });
});
