import { describeEventBusContract } from './event-bus.contract.js';
import { InProcessBus } from './in-process-bus.js';

describeEventBusContract('InProcessBus', async () => ({ newBus: async () => new InProcessBus({ retryDelayMs: 5 }), cleanUp: async () => undefined }));
