import { describe, expect, it } from 'vitest';
import { deny, RISK_REJECT_CODES } from '../../domain/risk/decision.js';
import { decisionFromProto, decisionToProto } from './risk-messages.js';

describe('risk decisions over gRPC', () => {
  it.each(RISK_REJECT_CODES)('carries the reject code %s both ways', (code) => {
    const decision = deny(code, `because ${code}`);
    expect(decisionFromProto(decisionToProto(decision))).toEqual(decision);
  });
});
