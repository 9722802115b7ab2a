/**
 * Records calls that reach outside the process: the file system, sockets, HTTP, DNS, `fetch` and
 * child processes. Each is wrapped in place, so code that holds the module (as bundles do) is seen.
 */
// `require`, not `import * as`: a bundler's namespace copy would be wrapped instead of the module.
import childProcess = require('node:child_process');
import dns = require('node:dns');
import fs = require('node:fs');
import http = require('node:http');
import https = require('node:https');
import net = require('node:net');
import tls = require('node:tls');

/** Every fs function that reads, writes, lists, watches or looks at a path. */
const FS_CALL = /^(access|append|chmod|chown|copy|cp|create|exists|lchown|link|lstat|mkdir|mkdtemp|open|opendir|read|realpath|rename|rm|stat|statfs|symlink|truncate|unlink|utimes|watch|write)/;

export interface IoWatch {
  calls: string[];
  stop(): void;
}

export function watchIo(): IoWatch {
  const calls: string[] = [];
  const restore: Array<() => void> = [];
  let watching = true;
  const wrap = (holder: any, key: string, label: string) => {
    const original = holder[key];
    if (typeof original !== 'function') return;
    holder[key] = function (this: unknown, ...args: unknown[]) {
      if (watching) calls.push(`${label} ${typeof args[0] === 'string' || args[0] instanceof URL ? String(args[0]) : ''}`.trim());
      return original.apply(this, args);
    };
    restore.push(() => (holder[key] = original));
  };
  for (const key of Object.keys(fs)) if (FS_CALL.test(key)) wrap(fs, key, `fs.${key}`);
  for (const key of Object.keys(fs.promises)) if (FS_CALL.test(key)) wrap(fs.promises, key, `fs.promises.${key}`);
  for (const key of ['connect', 'createConnection']) wrap(net, key, `net.${key}`);
  wrap(net.Socket.prototype, 'connect', 'net.Socket.connect');
  wrap(tls, 'connect', 'tls.connect');
  for (const key of ['request', 'get']) {
    wrap(http, key, `http.${key}`);
    wrap(https, key, `https.${key}`);
  }
  for (const key of ['lookup', 'resolve', 'resolve4', 'resolve6']) wrap(dns, key, `dns.${key}`);
  wrap(globalThis, 'fetch', 'fetch');
  for (const key of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) wrap(childProcess, key, `child_process.${key}`);
  return {
    calls,
    stop() {
      watching = false;
      for (const undo of restore) undo();
    },
  };
}
