import { Code, ConnectError } from '@connectrpc/connect';
import type { FieldError } from '../../domain/order/validation.js';
import { BadRequestSchema } from '../../gen/oms/v1/order_pb.js';
import { protoFieldName } from './order-grpc-messages.js';

/** INVALID_ARGUMENT naming every bad field (proto names), in the message and as a BadRequest detail. */
export function invalidArgument(errors: readonly FieldError[]): ConnectError {
  const violations = errors.map((e) => ({ field: protoFieldName(e.field), description: e.message }));
  const message = `invalid fields: ${violations.map((v) => `${v.field} ${v.description}`).join('; ')}`;
  return new ConnectError(message, Code.InvalidArgument, undefined, [{ desc: BadRequestSchema, value: { fieldViolations: violations } }]);
}
