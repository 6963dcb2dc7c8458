import { extensionSuite } from './support/extension.suite';
import { startOpenCart } from '@oc-xero/opencart-harness';

// OpenCart 4.0.2.3, installed by its own CLI installer under a non-default prefix and served by php -S
// (tools/opencart-harness); the extension installed through its admin as a merchant does.
extensionSuite('4.0.2.3', () => startOpenCart({ version: '4.0.2.3' }));
