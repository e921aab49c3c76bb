#!/usr/bin/env node
// The compiled CLI; `npm ci` builds dist/ through the prepare script.
require('../dist/src/cli/main.js')
  .main(process.argv)
  .then(() => {
    // Long-running commands close their connections; if a stray handle remains, do not hang.
    setTimeout(() => process.exit(), 2000).unref();
  });
