import { extensionSuite } from './support/extension.suite';
import { startOpenCart } from './support/opencart';

// OpenCart 4.1.0.3, installed by its CLI installer and served by php -S; the extension installed through its admin.
extensionSuite('4.1.0.3', () => startOpenCart({ version: '4.1.0.3' }));
