export * from './messages.js';
export * from './enums.js';
export * from './cancel-messages.js';
