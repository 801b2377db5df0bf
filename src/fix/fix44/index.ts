export * from './messages.js';
export * from './enums.js';
