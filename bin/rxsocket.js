#!/usr/bin/env node
// The `rxsocket` command: netcat for framed messages. The code is lib/cli/, built to dist/cjs/cli/.
'use strict';
require('../dist/cjs/cli/run.js');
