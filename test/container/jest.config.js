// `npm run test:container` and `npm run test:container:arm64`: the image built and run under Docker. Not part
// of `npm test` (their files end in .container-spec.ts); same transform as the repository's own projects.
const path = require('node:path');
const root = require('../../jest.config.js');

const e2e = root.projects.find((p) => p.displayName === 'e2e');
module.exports = {
  rootDir: path.join(__dirname, '..', '..'),
  testTimeout: 10 * 60_000,
  projects: [
    {
      ...e2e,
      rootDir: path.join(__dirname, '..', '..'),
      displayName: 'container',
      testMatch: ['<rootDir>/test/container/**/*.container-spec.ts'],
    },
  ],
};
