/**
 * Preloaded (`node --import`) into a system process by the FIX gateway's crash test: the process
 * kills itself (SIGKILL) when the gateway is about to send its client a fill's ExecutionReport
 * (ExecType F), that is after the fill is committed and before the report is stored or sent.
 */
import { FixSession } from '../../src/fix/session.js';
import type { OutgoingFix } from '../../src/fix/message.js';

const CLIENT = process.env.KILL_BEFORE_FILL_REPORT_TO;
const send = FixSession.prototype.send;
FixSession.prototype.send = function (this: FixSession, message: OutgoingFix): number {
  const isTrade = message.msgType === '8' && message.body.some(([tag, value]) => tag === 150 && value === 'F');
  if (isTrade && this.config.targetCompId === CLIENT) process.kill(process.pid, 'SIGKILL');
  return send.call(this, message);
};
