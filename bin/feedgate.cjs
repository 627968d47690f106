#!/usr/bin/env node
'use strict';
// Entry point of the `feedgate` command. The CLI is bundled by `npm run build:cli`
// (run automatically by `npm install` / `npm ci` through the prepare script).
const path = require('node:path');
const fs = require('node:fs');

const bundle = path.join(__dirname, '..', 'dist', 'cli', 'feedgate.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write(
    'feedgate: the command line is not built yet; run `npm run build:cli` in ' +
      path.join(__dirname, '..') +
      '\n',
  );
  process.exit(2);
}
require(bundle);
