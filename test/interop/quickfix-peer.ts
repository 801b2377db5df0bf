import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** QuickFIX C++ example programs, built by scripts/build-quickfix-examples.sh. */
export const QUICKFIX_BIN = resolve(import.meta.dirname, '../../.tmp/quickfix/bin');
/** QuickFIX's FIX 4.4 data dictionary, from the shared conformance folder (the peer validates what we send against it). */
export const FIX44_DICTIONARY = resolve(process.env.QUICKFIX_AT_DIR ?? join(import.meta.dirname, '../../../shared/conformance/quickfix-at'), 'FIX44.xml');

export function requireQuickfixProgram(name: 'executor' | 'tradeclient'): string {
  const path = join(QUICKFIX_BIN, name);
  // Missing is a failure, not a skip: CI builds it before this suite.
  if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/build-quickfix-examples.sh`);
  return path;
}

export { freePort } from '../support/processes.js';

/** A QuickFIX program run with a generated settings file; its screen log (every FIX message) is collected. */
export class QuickfixProcess {
  private output = '';
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly dir: string;

  constructor(program: string, settings: Record<string, string>, session: Record<string, string>) {
    this.dir = mkdtempSync(join(tmpdir(), 'quickfix-'));
    const lines = [
      '[DEFAULT]',
      ...entries({ FileStorePath: join(this.dir, 'store'), StartTime: '00:00:00', EndTime: '00:00:00', ...settings }),
      '[SESSION]',
      ...entries(session),
    ];
    const file = join(this.dir, 'settings.cfg');
    writeFileSync(file, `${lines.join('\n')}\n`);
    this.child = spawn(program, [file], { cwd: this.dir });
    this.child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString('latin1')));
    this.child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString('latin1')));
  }

  get log(): string {
    return this.output;
  }

  /** How far the prompts have been read: each prompt is answered once, in order. */
  private answeredUpTo = 0;

  /**
   * Answers the program's next prompt (whichever of `answers` it prints first after the last one
   * answered) and returns that prompt. Interactive examples ask in an order C++ leaves unspecified.
   */
  async answerNext(answers: Readonly<Record<string, string>>, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let first: { prompt: string; at: number } | undefined;
      for (const prompt of Object.keys(answers)) {
        const at = this.output.indexOf(prompt, this.answeredUpTo);
        if (at >= 0 && (!first || at < first.at)) first = { prompt, at };
      }
      if (first) {
        this.answeredUpTo = first.at + first.prompt.length;
        this.child.stdin.write(`${answers[first.prompt]}\n`);
        return first.prompt;
      }
      if (this.child.exitCode !== null || Date.now() > deadline)
        throw new Error(`no prompt of ${Object.keys(answers).join(' | ')}; output:\n${this.output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Waits until the output matches, or fails showing what the program printed. */
  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.output.match(pattern);
      if (match) return match;
      if (this.child.exitCode !== null) throw new Error(`QuickFIX program exited (${this.child.exitCode}) before ${pattern}:\n${this.output.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output:\n${this.output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const entries = (record: Record<string, string>): string[] => Object.entries(record).map(([key, value]) => `${key}=${value}`);

/**
 * The FIX messages of one type in a QuickFIX program's output, as tag → value maps, each once
 * (the example applications print a message again beside the screen log).
 */
export function loggedMessages(log: string, msgType: string): Map<string, string>[] {
  const messages = new Map<string, Map<string, string>>();
  for (const raw of log.match(/8=FIX\.4\.4\x01.*?\x0110=\d{3}\x01/g) ?? []) {
    const fields = new Map(
      raw
        .split('\x01')
        .filter(Boolean)
        .map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)] as [string, string]),
    );
    if (fields.get('35') === msgType) messages.set(`${fields.get('49')}:${fields.get('34')}`, fields);
  }
  return [...messages.values()];
}
