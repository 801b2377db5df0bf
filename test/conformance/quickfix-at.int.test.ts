import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReflector } from '../../src/services/broker-simulator/reflector.js';
import { loadPatterns, runScript } from './acceptance-script.js';

/**
 * QuickFIX's 59 FIX 4.4 acceptance scripts, played against the broker simulator's reflector mode.
 * The folder is read from QUICKFIX_AT_DIR, by default shared/ beside the repository.
 * Every script must pass except those listed in KNOWN_FAILURES, each with its reason; the test
 * also fails when a listed script starts passing, so the list only ever shrinks.
 */
const DIR = resolve(process.env.QUICKFIX_AT_DIR ?? join(import.meta.dirname, '../../../shared/conformance/quickfix-at'));

const DICTIONARY = 'needs message validation against the FIX44.xml data dictionary (session Reject 35=3 with RefTagID and reason)';
const KNOWN_FAILURES: Record<string, string> = {
  '14a_BadField.def': DICTIONARY,
  '14b_RequiredFieldMissing.def': DICTIONARY,
  '14c_TagNotDefinedForMsgType.def': DICTIONARY,
  '14d_TagSpecifiedWithoutValue.def': DICTIONARY,
  '14e_IncorrectEnumValue.def': DICTIONARY,
  '14f_IncorrectDataFormat.def': DICTIONARY,
  '14g_HeaderBodyTrailerFieldsOutOfOrder.def': DICTIONARY,
  '14h_RepeatedTag.def': DICTIONARY,
  '14i_RepeatingGroupCountNotEqual.def': DICTIONARY,
  '15_HeaderAndBodyFieldsOrderedDifferently.def': 'echo must write body fields in dictionary order, not as received',
  '19b_PossResendMessageThatHasNotBeenSent.def': 'the echo does not carry PossResend (97) in its header',
  '21_RepeatingGroupSpecifierWithValueOfZero.def': 'the reflector does not echo messages other than NewOrderSingle; group count 0 needs the dictionary',
  '2m_BodyLengthValueNotCorrect.def': 'a message dropped for a wrong BodyLength makes the next one look like a gap in a way QuickFIX does not',
  'RejectResentMessage.def': DICTIONARY,
  'ReverseRoute.def': DICTIONARY,
  'ReverseRouteWithEmptyRoutingTags.def': DICTIONARY,
};

const patterns = loadPatterns(readFileSync(join(DIR, 'fields.fmt'), 'utf8'));
const scripts = readdirSync(join(DIR, 'fix44')).filter((f) => f.endsWith('.def')).sort();

async function play(script: string): Promise<string | undefined> {
  const reflector = createReflector({ port: 0, senderCompId: 'ISLD', targetCompIds: ['TW44', 'TW'] });
  await reflector.start();
  try {
    return await runScript(readFileSync(join(DIR, 'fix44', script), 'utf8'), reflector.port, patterns);
  } finally {
    await reflector.stop();
  }
}

describe('QuickFIX FIX 4.4 acceptance scripts against the reflector', () => {
  it('finds the 59 scripts', () => {
    expect(scripts).toHaveLength(59);
  });

  it('passes every script not listed as a known failure, and fails each listed one', async () => {
    const outcomes = new Map<string, string | undefined>();
    const queue = [...scripts];
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        for (let script = queue.shift(); script; script = queue.shift()) outcomes.set(script, await play(script));
      }),
    );
    const failing = Object.fromEntries([...outcomes].filter(([, why]) => why !== undefined));
    console.log(`QuickFIX acceptance: ${scripts.length - Object.keys(failing).length} of ${scripts.length} pass`);
    for (const [script, why] of Object.entries(failing)) console.log(`  fails ${script}: ${why?.slice(0, 160)}`);
    expect(Object.keys(failing).sort()).toEqual(Object.keys(KNOWN_FAILURES).sort());
  }, 300_000);
});
