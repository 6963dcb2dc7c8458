// Medium tests compile parts of Xero's (large) OpenAPI schemas on first use: allow for that.
module.exports = require('../../jest.config.base.js')(__dirname, { testTimeout: 30000 });
