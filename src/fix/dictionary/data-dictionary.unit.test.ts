import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../codec.js';
import type { Field } from '../message.js';
import { SessionRejectReason } from '../tags.js';
import { DataDictionary } from './data-dictionary.js';

const XML = `<fix type='FIX' major='4' minor='4'>
 <header>
  <field name='BeginString' required='Y' /><field name='BodyLength' required='Y' /><field name='MsgType' required='Y' />
  <field name='SenderCompID' required='Y' /><field name='TargetCompID' required='Y' /><field name='MsgSeqNum' required='Y' />
  <field name='SendingTime' required='Y' />
 </header>
 <trailer><field name='CheckSum' required='Y' /></trailer>
 <messages>
  <message name='Heartbeat' msgtype='0' msgcat='admin'><field name='TestReqID' required='N' /></message>
  <message name='NewOrderSingle' msgtype='D' msgcat='app'>
   <field name='ClOrdID' required='Y' /><component name='Sessions' required='N' /><field name='Side' required='Y' /><field name='OrderQty' required='N' />
  </message>
 </messages>
 <components>
  <component name='Sessions'><group name='NoTradingSessions' required='N'><field name='TradingSessionID' required='N' /></group></component>
 </components>
 <fields>
  <field number='8' name='BeginString' type='STRING' /><field number='9' name='BodyLength' type='LENGTH' />
  <field number='10' name='CheckSum' type='STRING' /><field number='11' name='ClOrdID' type='STRING' />
  <field number='34' name='MsgSeqNum' type='SEQNUM' /><field number='35' name='MsgType' type='STRING' />
  <field number='38' name='OrderQty' type='QTY' /><field number='49' name='SenderCompID' type='STRING' />
  <field number='52' name='SendingTime' type='UTCTIMESTAMP' />
  <field number='54' name='Side' type='CHAR'><value enum='1' description='BUY' /><value enum='2' description='SELL' /></field>
  <field number='56' name='TargetCompID' type='STRING' /><field number='112' name='TestReqID' type='STRING' />
  <field number='336' name='TradingSessionID' type='STRING' /><field number='386' name='NoTradingSessions' type='NUMINGROUP' />
 </fields>
</fix>`;

const dictionary = DataDictionary.fromXml(XML);
const header = { senderCompId: 'A', targetCompId: 'B', seqNum: 2, sendingTime: '20260102-14:30:00.000' };
const check = (msgType: string, body: Field[]) => dictionary.validate(decodeMessage(encodeMessage({ ...header, msgType }, body)));

describe('DataDictionary', () => {
  it('accepts a valid message, with a repeating group whose count matches', () => {
    expect(
      check('D', [
        [11, 'X'],
        [386, '2'],
        [336, 'A'],
        [336, 'B'],
        [54, '1'],
        [38, '002000.00'],
      ]),
    ).toBeUndefined();
  });

  it.each([
    ['an unknown tag', '0', [[999, 'HI']], SessionRejectReason.InvalidTagNumber, 999],
    ['a tag the message does not define', '0', [[11, 'X']], SessionRejectReason.TagNotDefinedForMessageType, 11],
    [
      'a tag without a value',
      'D',
      [
        [11, ''],
        [54, '1'],
      ],
      SessionRejectReason.TagWithoutValue,
      11,
    ],
    [
      'a value outside the enum',
      'D',
      [
        [11, 'X'],
        [54, '9'],
      ],
      SessionRejectReason.ValueIncorrect,
      54,
    ],
    [
      'a malformed quantity',
      'D',
      [
        [11, 'X'],
        [54, '1'],
        [38, '+200'],
      ],
      SessionRejectReason.IncorrectDataFormat,
      38,
    ],
    [
      'a repeated tag',
      'D',
      [
        [11, 'X'],
        [54, '1'],
        [54, '2'],
      ],
      SessionRejectReason.TagRepeated,
      54,
    ],
    ['a missing required tag', 'D', [[11, 'X']], SessionRejectReason.RequiredTagMissing, 54],
    [
      'a group count that does not match',
      'D',
      [
        [11, 'X'],
        [386, '3'],
        [336, 'A'],
        [54, '1'],
      ],
      SessionRejectReason.IncorrectNumInGroup,
      386,
    ],
  ] as [string, string, Field[], SessionRejectReason, number][])('rejects %s', (_name, msgType, body, reason, tag) => {
    expect(check(msgType, body)).toEqual({ reason, tag });
  });

  it('rejects a header tag after the body and an undefined MsgType', () => {
    const bytes = encodeMessage({ ...header, msgType: 'D' }, [
      [11, 'X'],
      [54, '1'],
      [49, 'A'],
    ]);
    expect(dictionary.validate(decodeMessage(bytes))).toEqual({ reason: SessionRejectReason.TagOutOfOrder, tag: 49 });
    expect(check('Z', [])).toEqual({ reason: SessionRejectReason.InvalidMsgType });
  });
});
