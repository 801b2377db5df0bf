import { describe, expect, it } from 'vitest';
import { checksumOf, decodeMessage, encodeMessage, FrameDecoder } from './codec.js';
import { Tag } from './tags.js';

const header = { msgType: 'D', senderCompId: 'OMS', targetCompId: 'XNYS', seqNum: 7, sendingTime: '20260102-14:30:00.000' };
const body = [
  [Tag.ClOrdID, 'C1'],
  [Tag.Symbol, 'AAPL'],
  [Tag.Side, '1'],
  [Tag.OrderQty, '100'],
  [Tag.OrdType, '2'],
  [Tag.Price, '150.5'],
] as const;

describe('FIX codec', () => {
  it('writes 8, 9, 35, the header in ascending tag order, the body, an unpadded BodyLength and a three-digit CheckSum', () => {
    const text = encodeMessage(header, body).toString('latin1');
    const expectedBody = '35=D\x0134=7\x0149=OMS\x0152=20260102-14:30:00.000\x0156=XNYS\x0111=C1\x0155=AAPL\x0154=1\x0138=100\x0140=2\x0144=150.5\x01';
    const framed = `8=FIX.4.4\x019=${expectedBody.length}\x01${expectedBody}`;
    expect(text).toBe(`${framed}10=${checksumOf(framed)}\x01`);
    expect(checksumOf('8=FIX.4.4\x01')).toBe(String([...'8=FIX.4.4\x01'].reduce((s, c) => s + c.charCodeAt(0), 0) % 256).padStart(3, '0'));
  });

  it('round-trips fields in order, with PossDup and OrigSendingTime', () => {
    const bytes = encodeMessage({ ...header, possDup: true, origSendingTime: '20260102-14:29:59.000' }, body);
    const message = decodeMessage(bytes);
    expect(message.fields.slice(0, 3).map(([t]) => t)).toEqual([8, 9, 35]);
    expect(message.get(Tag.PossDupFlag)).toBe('Y');
    expect(message.get(Tag.OrigSendingTime)).toBe('20260102-14:29:59.000');
    expect(message.bodyFields()).toEqual(body.map(([t, v]) => [t, v]));
  });

  it('cuts a stream into frames across chunk boundaries', () => {
    const one = encodeMessage(header, body);
    const two = encodeMessage({ ...header, seqNum: 8 }, body);
    const stream = Buffer.concat([one, two]);
    const decoder = new FrameDecoder();
    const frames = [
      ...decoder.push(stream.subarray(0, 13)),
      ...decoder.push(stream.subarray(13, one.length + 5)),
      ...decoder.push(stream.subarray(one.length + 5)),
    ];
    expect(frames.map((f) => f.kind)).toEqual(['message', 'message']);
    expect(frames.map((f) => decodeMessage(f.bytes).seqNum)).toEqual([7, 8]);
  });

  it('reports a wrong CheckSum or BodyLength as garbled and resynchronises on the next message', () => {
    const good = encodeMessage(header, body);
    const badSum = Buffer.from(good.toString('latin1').replace(/10=\d{3}/, '10=000'), 'latin1');
    const badLength = Buffer.from(good.toString('latin1').replace(/9=\d+/, '9=5'), 'latin1');
    const decoder = new FrameDecoder();
    const frames = decoder.push(Buffer.concat([Buffer.from('garbage'), badSum, badLength, good]));
    expect(frames.filter((f) => f.kind === 'message')).toHaveLength(1);
    expect(frames[0]).toMatchObject({ kind: 'garbled', reason: 'CheckSum is wrong' });
    expect(frames.some((f) => f.kind === 'garbled' && f.reason.includes('BodyLength'))).toBe(true);
  });

  it('drops a too-long BodyLength up to the next CheckSum, swallowing the message after it (as QuickFIX)', () => {
    const good = encodeMessage(header, body);
    const tooLong = Buffer.from(
      good.toString('latin1').replace(/9=(\d+)/, (_, n: string) => `9=${Number(n) + 20}`),
      'latin1',
    );
    const next = encodeMessage({ ...header, seqNum: 8 }, body);
    const last = encodeMessage({ ...header, seqNum: 9 }, body);
    const frames = new FrameDecoder().push(Buffer.concat([tooLong, next, last]));
    expect(frames.map((f) => f.kind)).toEqual(['garbled', 'message']);
    expect(frames[0]!.bytes.length).toBe(tooLong.length + next.length);
    expect(decodeMessage(frames[1]!.bytes).seqNum).toBe(9);
  });

  it('puts routing header fields among the header tags by number', () => {
    const text = encodeMessage(
      {
        ...header,
        possDup: true,
        origSendingTime: '20260102-14:29:59.000',
        routing: [
          [128, 'JCD'],
          [129, 'CS'],
        ],
      },
      [[Tag.Text, 'x']],
    ).toString('latin1');
    expect(
      text
        .split('\x01')
        .map((f) => f.split('=')[0])
        .slice(0, 12),
    ).toEqual(['8', '9', '35', '34', '43', '49', '52', '56', '122', '128', '129', '58']);
  });

  it('refuses an absurd BodyLength instead of waiting for it', () => {
    const frames = new FrameDecoder().push(Buffer.from('8=FIX.4.4\x019=99999999\x0135=0\x01', 'latin1'));
    expect(frames[0]).toMatchObject({ kind: 'garbled' });
  });
});
