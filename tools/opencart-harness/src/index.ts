export * from './opencart-harness.types';
export { startOpenCart, cachedInstall } from './opencart-instance.factory';
export {
  openCartHarnessAvailable,
  openCartHarnessUnavailableReason,
  OpenCartHarnessUnavailableError,
  opencartSrcDir,
  cacheRoot,
  PHP_HINT,
} from './opencart-environment.util';
