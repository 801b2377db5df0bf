import { describe, expect, it } from 'vitest';
import { encodeMessage, fixTimestamp, FrameDecoder } from './codec.js';
import type { Field } from './message.js';
import { FixSession } from './session.js';
import { MemoryStore } from './store.js';

/** A small seeded generator, so a failing run can be replayed from its seed. */
function generator(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  return { next, int: (n: number) => Math.floor(next() * n) };
}

const VALID_BODIES: [string, Field[]][] = [
  ['0', []],
  ['1', [[112, 'X']]],
  [
    '2',
    [
      [7, '1'],
      [16, '0'],
    ],
  ],
  [
    '4',
    [
      [36, '5'],
      [123, 'Y'],
    ],
  ],
  [
    'D',
    [
      [11, 'C1'],
      [55, 'AAPL'],
      [54, '1'],
      [38, '100'],
      [40, '2'],
      [44, '1.5'],
    ],
  ],
];

/** Truncations, flipped bytes, wrong checksums, huge lengths, repeated tags, binary garbage. */
function mutate(bytes: Buffer, random: ReturnType<typeof generator>): Buffer {
  const copy = Buffer.from(bytes);
  switch (random.int(7)) {
    case 0:
      return copy.subarray(0, random.int(copy.length));
    case 1:
      for (let i = 0; i < 1 + random.int(5); i++) copy[random.int(copy.length)] = random.int(256);
      return copy;
    case 2:
      return Buffer.from(copy.toString('latin1').replace(/10=\d{3}/, `10=${String(random.int(1000)).padStart(3, '0')}`), 'latin1');
    case 3:
      return Buffer.from(copy.toString('latin1').replace(/9=\d+/, `9=${random.int(10) === 0 ? 99999999 : random.int(400)}`), 'latin1');
    case 4:
      return Buffer.from(copy.toString('latin1').replace('\x0134=', '\x0134=1\x0134='), 'latin1');
    case 5:
      return Buffer.from(Array.from({ length: random.int(300) }, () => random.int(256)));
    default:
      return copy;
  }
}

describe('FIX parser and session under random and mutated input', () => {
  it('never throws, never hangs, keeps memory bounded, and stays consistent or disconnects', async () => {
    const seed = Date.now() % 100_000;
    const random = generator(seed);
    const deadline = Date.now() + 3_000;
    let messages = 0;
    let sessions = 0;
    while (Date.now() < deadline) {
      sessions++;
      let disconnected = false;
      const session = new FixSession(
        { senderCompId: 'V', targetCompId: 'O', role: 'acceptor', heartBtIntSeconds: 30, store: new MemoryStore() },
        { fromApp: () => undefined },
      );
      session.connected({ send: () => undefined, disconnect: () => void (disconnected = true) });
      const decoder = new FrameDecoder();
      const now = fixTimestamp(new Date());
      const logon = encodeMessage({ msgType: 'A', senderCompId: 'O', targetCompId: 'V', seqNum: 1, sendingTime: now }, [
        [98, '0'],
        [108, '30'],
      ]);
      for (const frame of decoder.push(logon)) session.onFrame(frame);
      for (let seq = 2; seq < 60 && !disconnected; seq++) {
        const [msgType, body] = VALID_BODIES[random.int(VALID_BODIES.length)]!;
        const valid = encodeMessage({ msgType, senderCompId: 'O', targetCompId: 'V', seqNum: seq, sendingTime: now }, body);
        const bytes = random.int(3) === 0 ? mutate(valid, random) : valid;
        for (const frame of decoder.push(bytes)) session.onFrame(frame);
        messages++;
      }
      await session.idle();
      expect(session.expectedTargetSeqNum).toBeGreaterThanOrEqual(1);
      expect(session.nextSenderSeqNum).toBeGreaterThanOrEqual(1);
    }
    const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
    expect(heapMb, `seed ${seed}`).toBeLessThan(1024);
    expect(sessions).toBeGreaterThan(10);
    expect(messages).toBeGreaterThan(500);
  }, 20_000);

  it('drops a frame whose BodyLength is huge instead of buffering for it', () => {
    const decoder = new FrameDecoder();
    const frames = decoder.push(Buffer.from('8=FIX.4.4\x019=999999999\x0135=0\x01', 'latin1'));
    expect(frames.every((f) => f.kind === 'garbled')).toBe(true);
    const next = encodeMessage({ msgType: '0', senderCompId: 'O', targetCompId: 'V', seqNum: 2, sendingTime: fixTimestamp(new Date()) }, []);
    expect(decoder.push(next).filter((f) => f.kind === 'message')).toHaveLength(1);
  });
});
