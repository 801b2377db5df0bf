import { create } from '@bufbuild/protobuf';
import { RISK_REJECT_CODES, type RiskDecision } from '../../domain/risk/pre-trade.js';
import { CheckOrderResponseSchema, RiskRejectCode, type CheckOrderResponse } from '../../gen/oms/v1/risk_pb.js';
import { domainName } from './proto-values.js';

export function decisionToProto(decision: RiskDecision): CheckOrderResponse {
  return decision.approved
    ? create(CheckOrderResponseSchema, { approved: true })
    : create(CheckOrderResponseSchema, { approved: false, rejectCode: RiskRejectCode[decision.code], reason: decision.reason });
}

/**
 * The decision in an answer. A rejection whose code this build does not know cannot be
 * represented and must never read as an approval: it throws, like any failed check.
 */
export function decisionFromProto(response: CheckOrderResponse): RiskDecision {
  if (response.approved) return { approved: true };
  const code = domainName(RiskRejectCode, response.rejectCode, RISK_REJECT_CODES);
  if (code === undefined) throw new Error(`risk-service rejected the order with an unknown code ${response.rejectCode}: ${response.reason}`);
  return { approved: false, code, reason: response.reason };
}
