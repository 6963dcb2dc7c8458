// The store half of opencart-db: reads a merchant's OpenCart database (3.x / 4.x, any prefix)
// and makes the only two writes we allow there.
export {
  connectOpenCart,
  type OpenCartConnection,
  type OpenCartConnectionOptions,
} from './opencart-connection.factory';
export {
  loadOpenCartDump,
  type LoadOpenCartDumpOptions,
  type LoadOpenCartDumpResult,
} from './opencart-dump.loader';
export { detectOpenCartSchema, type OpenCartSchema } from './opencart-schema.detector';
export { OpenCartStoreReader } from './opencart-store.reader';
export { OpenCartStoreWriter } from './opencart-store.writer';
export { readStoreTimeZone } from './opencart-store.clock';
export type { StoreLogger } from './opencart-store.logger';
