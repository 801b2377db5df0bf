import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, FrameDecoder, fixTimestamp } from './codec.js';
import { FixSession, type Responder } from './session.js';
import { FileStore, type MessageStore } from './store.js';
import { MsgType, Tag } from './tags.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fix-batch-'));
  dirs.push(dir);
  return dir;
}

/** A FileStore counting its writes (flushes that had something to write), and failing them on demand. */
class CountingStore extends FileStore {
  writes = 0;
  failNext = false;
  private readonly log: string;

  constructor(readonly dir: string) {
    super(dir);
    this.log = join(dir, 'messages');
  }

  override flush(): void {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    const before = existsSync(this.log) ? readFileSync(this.log).length : 0;
    super.flush();
    if (readFileSync(this.log).length > before) this.writes++;
  }
}

/** An acceptor session logged on to OMS, recording each socket write with the messages in it. */
async function loggedOn(store: MessageStore) {
  const writes: ReturnType<typeof decodeMessage>[][] = [];
  let disconnected = false;
  const responder: Responder = {
    send: (bytes) => void writes.push(new FrameDecoder().push(bytes).map((f) => decodeMessage(f.bytes))),
    disconnect: () => void (disconnected = true),
  };
  const delivered: string[] = [];
  const session = new FixSession(
    { senderCompId: 'VENUE', targetCompId: 'OMS', role: 'acceptor', heartBtIntSeconds: 30, store },
    {
      fromApp: (m) => void delivered.push(m.get(Tag.ClOrdID) ?? ''),
    },
  );
  session.connected(responder);
  let peerSeq = store.nextTargetSeqNum();
  const peer = (msgType: string, body: [number, string][]) =>
    session.onFrame({
      kind: 'message',
      bytes: encodeMessage({ msgType, senderCompId: 'OMS', targetCompId: 'VENUE', seqNum: peerSeq++, sendingTime: fixTimestamp(new Date()) }, body),
    });
  peer(MsgType.Logon, [
    [Tag.EncryptMethod, '0'],
    [Tag.HeartBtInt, '30'],
  ]);
  await session.idle();
  writes.length = 0;
  return {
    session,
    writes,
    delivered,
    peer,
    get disconnected() {
      return disconnected;
    },
  };
}

const report = (id: string) => ({ msgType: MsgType.ExecutionReport, body: [[Tag.ExecID, id]] as [number, string][] });
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('FIX session batching', () => {
  it('stores the messages sent in one turn with one write, then puts them on the wire with one socket write', async () => {
    const store = new CountingStore(tempDir());
    const h = await loggedOn(store);
    const writesBefore = store.writes;
    h.session.send(report('X1'));
    h.session.send({ msgType: MsgType.Heartbeat, body: [] });
    h.session.send(report('X2'));
    expect(h.writes).toEqual([]); // nothing before the turn ends
    await turn();
    expect(store.writes - writesBefore).toBe(1);
    expect(h.writes.map((w) => w.map((m) => [m.msgType, m.seqNum]))).toEqual([
      [
        ['8', 2],
        ['0', 3],
        ['8', 4],
      ],
    ]);
  });

  it('persists the next inbound number once for the messages received in one turn', async () => {
    const store = new CountingStore(tempDir());
    const h = await loggedOn(store);
    const writesBefore = store.writes;
    for (const id of ['A', 'B', 'C']) h.peer(MsgType.NewOrderSingle, [[Tag.ClOrdID, id]]);
    await h.session.idle();
    await turn();
    expect(h.delivered).toEqual(['A', 'B', 'C']);
    expect(store.writes - writesBefore).toBe(1);
    expect(new FileStore(store.dir).nextTargetSeqNum()).toBe(5);
  });

  it('sends nothing of a batch whose store write failed, and disconnects', async () => {
    const store = new CountingStore(tempDir());
    const h = await loggedOn(store);
    h.session.send(report('X1'));
    h.session.send(report('X2'));
    store.failNext = true;
    await turn();
    expect(h.writes).toEqual([]);
    expect(h.disconnected).toBe(true);
    expect(h.session.isConnected).toBe(false);
  });

  it('breaks a FileStore for good once closed: a later flush with something to write throws', () => {
    const store = new FileStore(tempDir());
    store.close();
    expect(() => store.flush()).not.toThrow(); // nothing pending
    store.setNextTargetSeqNum(2);
    expect(() => store.flush()).toThrow('FIX store closed');
  });

  it('resumes the right numbers and messages after a restart that followed a batch', async () => {
    const dir = tempDir();
    const h = await loggedOn(new FileStore(dir));
    h.peer(MsgType.NewOrderSingle, [[Tag.ClOrdID, 'A']]);
    await h.session.idle();
    h.session.send(report('X1'));
    h.session.send({ msgType: MsgType.Heartbeat, body: [] });
    h.session.send(report('X2'));
    await turn();
    // No close(): as after kill -9.
    const reopened = new FileStore(dir);
    expect([reopened.nextSenderSeqNum(), reopened.nextTargetSeqNum()]).toEqual([5, 3]);
    expect(reopened.sentBetween(1, 9).map((m) => [m.seqNum, decodeMessage(m.message).get(Tag.ExecID)])).toEqual([
      [2, 'X1'],
      [4, 'X2'],
    ]);
    const again = await loggedOn(reopened);
    again.session.send(report('X3'));
    await turn();
    expect(again.writes.flat().map((m) => m.seqNum)).toEqual([6]); // 5 was the Logon
  });

  it('cuts off a record torn by a crash mid-write, so what is written later is read back', () => {
    const dir = tempDir();
    const first = new FileStore(dir);
    first.storeSent(1, Buffer.from('one'));
    first.flush();
    appendFileSync(join(dir, 'messages'), '2 40\n8=FIX.4.4'); // the crash
    const second = new FileStore(dir);
    expect(second.nextSenderSeqNum()).toBe(2);
    second.storeSent(2, Buffer.from('two'));
    second.flush();
    expect(new FileStore(dir).sentBetween(1, 9).map((m) => m.message.toString())).toEqual(['one', 'two']);
  });

  it('reads the numbers of a store in the earlier format (a seqnums file) once, then keeps them in the log', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'messages'), '1 3\none\n');
    writeFileSync(join(dir, 'seqnums'), `${'7'.padStart(12)} ${'9'.padStart(12)}\n`);
    const store = new FileStore(dir);
    expect([store.nextSenderSeqNum(), store.nextTargetSeqNum()]).toEqual([7, 9]);
    expect(existsSync(join(dir, 'seqnums'))).toBe(false);
    const reopened = new FileStore(dir);
    expect([reopened.nextSenderSeqNum(), reopened.nextTargetSeqNum(), reopened.sentBetween(1, 9).length]).toEqual([7, 9, 1]);
  });
});
