// The product in a child node process, for the SIGKILL test: TypeScript compiled on load with @swc/core
// (the same transform jest uses), the real app started on the given files, full re-syncs in a loop.
// Plain JS on purpose: it is the bootstrap that teaches node to load the .ts sources.
const fs = require('node:fs');
const swc = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
require('reflect-metadata');

async function main() {
  const { startProduct } = require('./product.ts');
  const { SyncService } = require('../../src/sync/sync.service.ts');
  const { GoogleAccountsService } = require('../../src/google/google-accounts.service.ts');
  const product = await startProduct({ GOOGLE_BASE_URL: process.env.GOOGLE_BASE_URL }, process.env.CHILD_DIR);
  product.app.get(GoogleAccountsService).setRetryOptions({ attempts: 3, baseDelayMs: 5, maxDelayMs: 20 });
  const sync = product.app.get(SyncService);
  process.stdout.write('ready\n');
  for (let round = 1; ; round++) {
    await sync
      .fullResync(Number(process.env.USER_ID))
      .catch((e) => process.stdout.write(`round failed: ${e.message}\n`));
    process.stdout.write(`round ${round}\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
