/** FIX tag numbers by name, so code reads `Tag.ClOrdID`, not 11. */
export const Tag = {
  Account: 1,
  AvgPx: 6,
  BeginSeqNo: 7,
  BeginString: 8,
  BodyLength: 9,
  CheckSum: 10,
  ClOrdID: 11,
  CumQty: 14,
  EndSeqNo: 16,
  ExecID: 17,
  ExecInst: 18,
  LastPx: 31,
  LastQty: 32,
  MsgSeqNum: 34,
  MsgType: 35,
  NewSeqNo: 36,
  OrderID: 37,
  OrderQty: 38,
  OrdStatus: 39,
  OrdType: 40,
  OrigClOrdID: 41,
  PossDupFlag: 43,
  PossResend: 97,
  Price: 44,
  RefSeqNum: 45,
  SenderCompID: 49,
  SendingTime: 52,
  Side: 54,
  Symbol: 55,
  TargetCompID: 56,
  Text: 58,
  TimeInForce: 59,
  TransactTime: 60,
  EncryptMethod: 98,
  HeartBtInt: 108,
  TestReqID: 112,
  OrigSendingTime: 122,
  GapFillFlag: 123,
  ResetSeqNumFlag: 141,
  ExecType: 150,
  LeavesQty: 151,
  BusinessRejectReason: 380,
  RefMsgType: 372,
  SessionRejectReason: 373,
  RefTagID: 371,
  OrdRejReason: 103,
  CxlRejResponseTo: 434,
  CxlRejReason: 102,
  BusinessRejectRefID: 379,
  OrdStatusReqID: 790,
  CopyMsgIndicator: 797,
  ExecRestatementReason: 378,
} as const;

export const MsgType = {
  Heartbeat: '0',
  TestRequest: '1',
  ResendRequest: '2',
  Reject: '3',
  SequenceReset: '4',
  Logout: '5',
  Logon: 'A',
  NewOrderSingle: 'D',
  OrderCancelRequest: 'F',
  OrderCancelReplaceRequest: 'G',
  OrderStatusRequest: 'H',
  ExecutionReport: '8',
  OrderCancelReject: '9',
  BusinessMessageReject: 'j',
  SecurityDefinition: 'd',
} as const;

/** Every MsgType FIX 4.4 defines; anything else is refused with SessionRejectReason 11. */
const FIX44_MSG_TYPES: ReadonlySet<string> = new Set(
  '0 1 2 3 4 5 6 7 8 9 A B C D E F G H J K L M N P Q R S T V W X Y Z a b c d e f g h i j k l m n o p q r s t u v w x y z AA AB AC AD AE AF AG AH AI AJ AK AL AM AN AO AP AQ AR AS AT AU AV AW AX AY AZ BA BB BC BD BE BF BG BH'.split(
    ' ',
  ),
);

export const isFix44MsgType = (msgType: string): boolean => FIX44_MSG_TYPES.has(msgType);

const ADMIN_TYPES: ReadonlySet<string> = new Set(['0', '1', '2', '3', '4', '5', 'A']);

/** Session-level (admin) messages are never resent; a gap fill stands in for them. */
export const isAdminMessage = (msgType: string): boolean => ADMIN_TYPES.has(msgType);

export const BEGIN_STRING = 'FIX.4.4';

/** SessionRejectReason (373) values, with the texts QuickFIX sends in 58. */
export enum SessionRejectReason {
  InvalidTagNumber = 0,
  RequiredTagMissing = 1,
  TagNotDefinedForMessageType = 2,
  UndefinedTag = 3,
  TagWithoutValue = 4,
  ValueIncorrect = 5,
  IncorrectDataFormat = 6,
  CompIdProblem = 9,
  SendingTimeAccuracy = 10,
  InvalidMsgType = 11,
  TagRepeated = 13,
  TagOutOfOrder = 14,
  IncorrectNumInGroup = 16,
}

export const SESSION_REJECT_TEXT: Readonly<Record<SessionRejectReason, string>> = {
  [SessionRejectReason.InvalidTagNumber]: 'Invalid tag number',
  [SessionRejectReason.RequiredTagMissing]: 'Required tag missing',
  [SessionRejectReason.TagNotDefinedForMessageType]: 'Tag not defined for this message type',
  [SessionRejectReason.UndefinedTag]: 'Undefined Tag',
  [SessionRejectReason.TagWithoutValue]: 'Tag specified without a value',
  [SessionRejectReason.ValueIncorrect]: 'Value is incorrect (out of range) for this tag',
  [SessionRejectReason.IncorrectDataFormat]: 'Incorrect data format for value',
  [SessionRejectReason.CompIdProblem]: 'CompID problem',
  [SessionRejectReason.SendingTimeAccuracy]: 'SendingTime accuracy problem',
  [SessionRejectReason.InvalidMsgType]: 'Invalid MsgType',
  [SessionRejectReason.TagRepeated]: 'Tag appears more than once',
  [SessionRejectReason.TagOutOfOrder]: 'Tag specified out of required order',
  [SessionRejectReason.IncorrectNumInGroup]: 'Incorrect NumInGroup count for repeating group',
};
