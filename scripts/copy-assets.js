// Copies browser assets from node_modules into public/vendor at build time: no CDN at run time.
const fs = require('node:fs');
const path = require('node:path');
const root = path.join(__dirname, '..');
const vendor = path.join(root, 'public', 'vendor');
fs.mkdirSync(vendor, { recursive: true });
const assets = [
  ['htmx.org/dist/htmx.min.js', 'htmx.min.js'],
  ['@alpinejs/csp/dist/cdn.min.js', 'alpine-csp.min.js'],
];
for (const [from, to] of assets) {
  fs.copyFileSync(require.resolve(from, { paths: [root] }), path.join(vendor, to));
}
