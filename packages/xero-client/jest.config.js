const base = require('../../jest.config.base.js')(__dirname);

// The medium tests start the sandbox in-process; its validator (openapi-backend) needs
// @apidevtools/json-schema-ref-parser, which ships as ESM only. Jest cannot load that, so that one
// package is compiled to CommonJS on the way in.
module.exports = {
  ...base,
  transform: {
    ...base.transform,
    '^.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', esModuleInterop: true }, diagnostics: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@apidevtools/json-schema-ref-parser/)'],
};
