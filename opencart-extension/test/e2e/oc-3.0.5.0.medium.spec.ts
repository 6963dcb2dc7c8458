import { extensionSuite } from './support/extension.suite';
import { startOpenCart } from './support/opencart';

// OpenCart 3.0.5.0, installed by its CLI installer and served by php -S; the extension installed through its admin.
extensionSuite('3.0.5.0', () => startOpenCart({ version: '3.0.5.0' }));
