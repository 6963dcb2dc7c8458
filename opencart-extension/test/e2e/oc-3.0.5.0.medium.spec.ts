import { extensionSuite } from './support/extension.suite';
import { startOpenCart } from '@oc-xero/opencart-harness';

// OpenCart 3.0.5.0, installed by its own CLI installer under a non-default prefix and served by php -S
// (tools/opencart-harness); the extension installed through its admin as a merchant does.
extensionSuite('3.0.5.0', () => startOpenCart({ version: '3.0.5.0' }));
