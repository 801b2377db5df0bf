/**
 * FileStore open cost: writes a store of N ExecutionReport-sized messages (in batches, as the
 * session flushes), then opens it in a fresh process and reports the open time, RSS and heap
 * growth, and the time of a 100-message resend read. `--dir` reuses (or fills) a directory, e.g. a
 * copy of a real data directory's fix/<side>/<venue>.
 *
 *   node --import tsx bench/fix-store.ts [--messages 1000000] [--dir /tmp/x]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '../src/fix/store.js';
import { scriptOptions } from './options.js';

const values = scriptOptions('node --import tsx bench/fix-store.ts [options]', {
  messages: { type: 'string', default: '1000000', help: 'messages written to the store' },
  dir: { type: 'string', help: 'store directory to reuse or fill (default: a temporary one)' },
  open: { type: 'boolean', default: false, help: 'only open the store in --dir (the child process this script starts)' },
});

/** An ExecutionReport of the size the venue sessions send (~330 bytes). */
function report(seq: number): Buffer {
  const body = `35=8\x0149=XNYS\x0156=OMS\x0134=${seq}\x0152=20261125-01:02:03.456\x0137=XNYS-O${seq}\x0111=01a21039-8c18-71ee-ac23-5cc8082be9be\x0117=XNYS-E${seq}\x01150=F\x0139=1\x0155=AAPL\x0154=1\x0138=1000\x0144=150.25\x0132=100\x0131=150.24\x01151=900\x0114=100\x016=150.24\x0160=20261125-01:02:03.456\x01`;
  const head = `8=FIX.4.4\x019=${body.length}\x01`;
  return Buffer.from(`${head}${body}10=000\x01`, 'latin1');
}

function openOnce(dir: string): void {
  globalThis.gc?.();
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const t0 = process.hrtime.bigint();
  const store = new FileStore(dir);
  const openMs = Number(process.hrtime.bigint() - t0) / 1e6;
  globalThis.gc?.();
  const mem = process.memoryUsage();
  const last = store.nextSenderSeqNum() - 1;
  const t1 = process.hrtime.bigint();
  const resent = store.sentBetween(Math.max(1, last - 199), last);
  const resendMs = Number(process.hrtime.bigint() - t1) / 1e6;
  const mb = (n: number) => (n / 1048576).toFixed(1);
  console.log(
    JSON.stringify({
      dir,
      nextSender: store.nextSenderSeqNum(),
      nextTarget: store.nextTargetSeqNum(),
      openMs: Math.round(openMs),
      rssGrowthMB: mb(mem.rss - rss0),
      heapAndBuffersGrowthMB: mb(mem.heapUsed + mem.arrayBuffers - heap0),
      rssMB: mb(mem.rss),
      resendLast200Ms: resendMs.toFixed(2),
      resent: resent.length,
    }),
  );
  store.close();
}

if (values.open) {
  openOnce(values.dir!);
} else {
  const messages = Number(values.messages);
  const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'fix-store-bench-'));
  if (!existsSync(join(dir, 'messages'))) {
    const store = new FileStore(dir);
    for (let seq = 1; seq <= messages; seq++) {
      store.storeSent(seq, report(seq));
      if (seq % 50 === 0) store.flush();
    }
    store.setNextTargetSeqNum(messages + 1);
    store.close();
  }
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', process.argv[1]!, '--open', '--dir', dir], { encoding: 'utf8' });
  process.stdout.write(out);
  if (!values.dir) rmSync(dir, { recursive: true, force: true });
}
