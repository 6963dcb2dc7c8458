// Unit: php -l of every file + PHPUnit of the shared PHP. Medium (test/e2e): real OpenCart releases under php -S.
module.exports = require('../jest.config.base.js')(__dirname, { testTimeout: 60000 });
