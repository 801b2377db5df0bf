import { fix44, FixAcceptor, MemoryStore, MsgType, Tag, type DataDictionary, type FixLogger, type LogonLimits } from '../../fix/index.js';

/** What the reflector echoes, as QuickFIX's acceptance-test application does: orders and security definitions. */
const ECHOED: ReadonlySet<string> = new Set([MsgType.NewOrderSingle, MsgType.SecurityDefinition]);

export interface ReflectorOptions {
  readonly port: number;
  readonly host?: string;
  /** The reflector's own CompID (QuickFIX's acceptance tests use ISLD). */
  readonly senderCompId: string;
  /** The initiators it accepts (the tests use TW44 and TW). */
  readonly targetCompIds: readonly string[];
  readonly logger?: FixLogger;
  /** Validate what initiators send against this dictionary, as QuickFIX does. */
  readonly dictionary?: DataDictionary;
  readonly logonLimits?: LogonLimits;
}

/**
 * The broker simulator's reflector mode, as QuickFIX's acceptance tests expect of an acceptor:
 * ResetOnLogon sessions whose application echoes each NewOrderSingle back to its sender, and
 * drops a PossResend copy of a ClOrdID it has already seen.
 */
export function createReflector(options: ReflectorOptions): FixAcceptor {
  const seen = new Set<string>();
  return new FixAcceptor(
    {
      port: options.port,
      host: options.host,
      logger: options.logger,
      ...options.logonLimits,
      sessions: options.targetCompIds.map((targetCompId) => ({
        senderCompId: options.senderCompId,
        targetCompId,
        store: new MemoryStore(),
        resetOnLogon: true,
        dictionary: options.dictionary,
      })),
    },
    {
      fromApp: (message, session) => {
        if (!ECHOED.has(message.msgType)) {
          session.send(
            fix44.businessMessageReject({
              refSeqNum: message.seqNum ?? 0,
              refMsgType: message.msgType,
              reason: fix44.BusinessRejectReason.UnsupportedMessageType,
              text: 'Unsupported Message Type',
            }),
          );
          return;
        }
        const clOrdId = `${session.id}|${message.get(Tag.ClOrdID) ?? ''}`;
        if (message.get(Tag.PossResend) === 'Y' && seen.has(clOrdId)) return;
        seen.add(clOrdId);
        // QuickFIX writes a body in ascending tag order (these messages carry no group members).
        const body = [...message.bodyFields()].sort(([a], [b]) => a - b);
        session.send({ msgType: message.msgType, body, possResend: message.get(Tag.PossResend) === 'Y' });
      },
    },
  );
}
