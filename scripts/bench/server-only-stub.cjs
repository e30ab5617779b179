// Preloaded (--require) by the uploads bench child: route handlers import `server-only`, which
// throws outside React Server Components, and the bench's usual `react-server` condition
// breaks `next/navigation` (imported by the route wrapper). Same stub as the unit tests use.
const Module = require('node:module');
const resolved = require.resolve('server-only', { paths: [__dirname] });
const stub = new Module(resolved);
stub.filename = resolved;
stub.loaded = true;
stub.exports = {};
require.cache[resolved] = stub;
