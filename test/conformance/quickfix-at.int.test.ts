import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDictionary } from '../../src/fix/index.js';
import { createReflector } from '../../src/simulation/broker/reflector.js';
import { loadPatterns, runScript } from './acceptance-script.js';

/**
 * QuickFIX's 59 FIX 4.4 acceptance scripts, played against the broker simulator's reflector mode.
 * The folder is read from QUICKFIX_AT_DIR, by default shared/ beside the repository.
 * Every script must pass; a failure names the script, the line and the field that differed.
 */
const DIR = resolve(process.env.QUICKFIX_AT_DIR ?? join(import.meta.dirname, '../../../shared/conformance/quickfix-at'));

const patterns = loadPatterns(readFileSync(join(DIR, 'fields.fmt'), 'utf8'));
const dictionary = DataDictionary.fromXml(readFileSync(join(DIR, 'FIX44.xml'), 'utf8'));
const scripts = readdirSync(join(DIR, 'fix44'))
  .filter((f) => f.endsWith('.def'))
  .sort();

async function play(script: string): Promise<string | undefined> {
  const reflector = createReflector({ port: 0, senderCompId: 'ISLD', targetCompIds: ['TW44', 'TW'], dictionary });
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

  it('passes every script', async () => {
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
    expect(failing).toEqual({});
  }, 300_000);
});
