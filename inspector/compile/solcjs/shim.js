#!/usr/bin/env node
'use strict';
// solcjs shim: makes an npm `solc` package (solc-js) answer the subset of the
// native `solc` command line that py-solc-x and crytic-compile's standard-json
// platform use:
//
//   node shim.js --solc-module /abs/node_modules/solc [--version]
//                [--standard-json] [--base-path P] [--include-path P]...
//                [--allow-paths a,b]
//
// No native solc can be installed here (see /work/shared/TOOLCHAIN.md); solc-js
// carries the same compiler compiled to JavaScript, but has an API instead of a CLI.
// Plain CommonJS, no dependencies besides the solc package itself.

const fs = require('fs');
const path = require('path');

// Anything but the JSON on stdout would break the callers' json.loads(), and
// Emscripten builds may print through console.log or process.stdout. Keep the
// real writer for ourselves and send every other stdout write to stderr.
const writeStdout = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, encoding, cb) => process.stderr.write(chunk, encoding, cb);
console.log = console.error;

// Errors of the shim itself: one line on stderr, exit 1.
function fail (message) {
  process.stderr.write(String(message).split('\n')[0] + '\n', () => process.exit(1));
}

// Some solc versions keep handles open, so exit explicitly once stdout is flushed.
function finish (text) {
  writeStdout(text.endsWith('\n') ? text : text + '\n', () => process.exit(0));
}

// ---- command line --------------------------------------------------------
function parseArgs (argv) {
  const opts = { module: null, version: false, standardJson: false, basePath: null, includePaths: [] };
  if (argv[0] !== '--solc-module' || !argv[1]) throw new Error('usage: shim.js --solc-module DIR <solc arguments...>');
  opts.module = argv[1];
  for (let i = 2; i < argv.length; i++) {
    let arg = argv[i];
    let value = null;
    // Native solc (boost::program_options) accepts both "--opt value" and "--opt=value".
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) { value = arg.slice(eq + 1); arg = arg.slice(0, eq); }
    const takeValue = () => {
      if (value !== null) return value;
      if (i + 1 >= argv.length) throw new Error('option ' + arg + ' needs a value');
      return argv[++i];
    };
    switch (arg) {
      case '--version': opts.version = true; break;
      case '--standard-json': opts.standardJson = true; break;
      case '--base-path': opts.basePath = takeValue(); break;
      case '--include-path': opts.includePaths.push(takeValue()); break;
      case '--allow-paths': takeValue(); break; // accepted; reads are not restricted
      default: {
        // Unknown flags and positional files are refused loudly, so that a caller
        // relying on an unimplemented feature (e.g. --combined-json) sees it.
        const err = new Error('unsupported argument: ' + argv[i]);
        err.unsupported = true;
        throw err;
      }
    }
  }
  if (!opts.version && !opts.standardJson) throw new Error('unsupported invocation: only --version and --standard-json are implemented');
  return opts;
}

// ---- import callback -----------------------------------------------------
// The compiler asks for source unit names it cannot find in the input: `urls`
// entries and imports. Look under the base path (default cwd), then cwd, then
// each include path. Absolute names resolve to themselves.
function makeImportCallback (basePath, includePaths) {
  const cwd = process.cwd();
  const roots = [basePath ? path.resolve(cwd, basePath) : cwd, cwd]
    .concat(includePaths.map((p) => path.resolve(cwd, p)));
  return function importCallback (sourceUnitName) {
    const name = sourceUnitName.replace(/^file:\/\//, '');
    for (const root of roots) {
      try {
        return { contents: fs.readFileSync(path.resolve(root, name), 'utf8') };
      } catch (e) { /* not there (or a directory): try the next root */ }
    }
    return { error: 'File not found: ' + sourceUnitName };
  };
}

// ---- version-dependent compile entry point --------------------------------
function parseVersion (versionString) {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(versionString);
  if (!m) throw new Error('cannot parse solc version "' + versionString + '"');
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function older (v, than) { // v < than, both [major, minor, patch]
  for (let i = 0; i < 3; i++) if (v[i] !== than[i]) return v[i] < than[i];
  return false;
}

function compileStandard (solc, version, input, importCallback) {
  if (!older(version, [0, 6, 0])) return solc.compile(input, { import: importCallback });
  if (!older(version, [0, 5, 0])) return solc.compile(input, importCallback);
  // 0.4.11 - 0.4.26: `compile` is the legacy (non standard-JSON) API there.
  return solc.compileStandardWrapper(input, importCallback);
}

// solc-js 0.4.11-0.4.19 copies import-callback results into a buffer of
// str.length + 1 bytes but writes them as UTF-8, so a non-ASCII file read through
// the callback overflows the heap and the compiler sees altered text (measured:
// wrong keccak256 in the metadata, so wrong bytecode). Fixed in solc-js 0.4.20.
// The wrapper calls soljson._malloc by property at call time, and require()'s
// cache hands us the same soljson object, so over-allocate there: UTF-8 needs
// at most 3 bytes per UTF-16 code unit.
function fixCallbackAllocation (moduleDir) {
  const soljson = require(path.join(path.resolve(moduleDir), 'soljson.js'));
  const malloc = soljson._malloc;
  if (typeof malloc === 'function') soljson._malloc = (n) => malloc(3 * n);
}

// Before 0.4.12 standard-JSON output only has `legacyAST`; crytic-compile reads
// `ast` only and Slither would silently see an empty AST (TOOLCHAIN pitfall 4).
// Those legacy ImportDirectives also lack `absolutePath` (only `file`, as written),
// and Slither then fails with "ValueError: . does not exist"; fill it in when the
// import resolves to a source unit of this output (remapped imports are left alone).
function copyLegacyAst (outputText) {
  const output = JSON.parse(outputText);
  const sources = output.sources || {};
  for (const [unitName, source] of Object.entries(sources)) {
    if (source.ast === undefined && source.legacyAST !== undefined) source.ast = source.legacyAST;
    for (const node of (source.ast && source.ast.children) || []) {
      const attrs = node.name === 'ImportDirective' && node.attributes;
      if (!attrs || attrs.absolutePath !== undefined || typeof attrs.file !== 'string') continue;
      // Like solc: "./x" and "../x" are relative to the importing unit, others are not.
      const file = attrs.file;
      const resolved = /^\.\.?\//.test(file) ? path.posix.join(path.posix.dirname(unitName), file) : file;
      if (Object.prototype.hasOwnProperty.call(sources, resolved)) attrs.absolutePath = resolved;
    }
  }
  return JSON.stringify(output);
}

// ---- main ----------------------------------------------------------------
function readStdin (cb) {
  // A stream rather than readFileSync(0): that throws EAGAIN on non-blocking pipes.
  const chunks = [];
  process.stdin.on('data', (c) => chunks.push(c));
  process.stdin.on('end', () => cb(Buffer.concat(chunks).toString('utf8')));
  process.stdin.on('error', (e) => fail('solcjs shim: cannot read stdin: ' + e.message));
}

function main () {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    return fail(e.unsupported ? e.message : 'solcjs shim: ' + e.message);
  }

  let solc;
  try {
    solc = require(path.resolve(opts.module));
  } catch (e) {
    return fail('solcjs shim: cannot load solc module ' + opts.module + ': ' + e.message);
  }
  const versionString = solc.version();
  const version = parseVersion(versionString);
  if (older(version, [0, 4, 20])) fixCallbackAllocation(opts.module);

  if (opts.version) {
    // Same two lines as native solc; py-solc-x matches \d+.\d+.\d+(+commit.\w+).
    return finish('solc, the solidity compiler commandline interface\nVersion: ' + versionString + '\n');
  }
  if (older(version, [0, 4, 11])) {
    // No compileStandardWrapper in solc-js <= 0.4.10 (no standard JSON at all).
    return fail('solc ' + versionString + ' is older than 0.4.11 and is not supported by the solcjs shim');
  }

  readStdin((input) => {
    try {
      JSON.parse(input);
    } catch (e) {
      return fail('solcjs shim: invalid JSON on stdin: ' + e.message);
    }
    let output;
    try {
      output = compileStandard(solc, version, input, makeImportCallback(opts.basePath, opts.includePaths));
      if (older(version, [0, 4, 12])) output = copyLegacyAst(output);
    } catch (e) {
      return fail('solcjs shim: compiler failed: ' + (e && e.message ? e.message : e));
    }
    // Like native solc: exit 0 even when the output JSON reports errors.
    finish(output);
  });
}

main();
