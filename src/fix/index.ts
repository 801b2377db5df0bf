/** The project's FIX 4.4 engine: codec, session layer, message stores and TCP transport. No dependency on the rest of the OMS. */
export { encodeMessage, decodeMessage, FrameDecoder, fixTimestamp, parseFixTimestamp, checksumOf, type Frame } from './codec.js';
export { FixMessage, type Field, type OutgoingFix } from './message.js';
export { FixSession, type FixApplication, type FixLogger, type Responder, type SessionConfig } from './session.js';
export { MemoryStore, FileStore, type MessageStore, type StoreOptions } from './store.js';
export { PostgresStore, type SqlQueryable } from './postgres-store.js';
export { FixInitiator, FixAcceptor, type InitiatorOptions, type AcceptorOptions, type AcceptorSessionOptions } from './transport.js';
export { DEFAULT_LOGON_TIMEOUT_MS, DEFAULT_MAX_PENDING_LOGONS, DEFAULT_MAX_PENDING_LOGONS_PER_ADDRESS, type LogonLimits } from './logon-gate.js';
export { Tag, MsgType, BEGIN_STRING, isAdminMessage, SessionRejectReason } from './tags.js';
export { DataDictionary, type Violation } from './dictionary/data-dictionary.js';
export * as fix44 from './fix44/index.js';
