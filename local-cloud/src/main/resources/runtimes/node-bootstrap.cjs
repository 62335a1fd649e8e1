'use strict';
// livestack local-cloud: the Node.js side of the Lambda Runtime API, as the managed runtime behaves.
// Output protocol with the host: one log event per stdout line (newlines inside an event become \r),
// and marker lines starting with NUL that tell the host where an invocation starts and ends.
const http = require('http');
const path = require('path');
const fs = require('fs');
const util = require('util');
const { pathToFileURL } = require('url');
const { performance } = require('perf_hooks');

const [apiHost, apiPort] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const taskRoot = process.env.LAMBDA_TASK_ROOT;
const handlerSpec = process.env._HANDLER || '';
let currentRequestId; // undefined outside an invocation, as Lambda prints it

function emit(line) {
  process.stdout.write(String(line).replace(/\n/g, '\r') + '\n');
}
function marker(text) {
  process.stdout.write('\u0000LS ' + text + '\n');
}
function logger(level) {
  return (...args) => emit(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${util.format(...args)}`);
}
console.log = logger('INFO');
console.info = logger('INFO');
console.warn = logger('WARN');
console.error = logger('ERROR');
console.debug = logger('DEBUG');
console.trace = logger('TRACE');

function request(method, urlPath, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: apiHost, port: Number(apiPort), method, path: urlPath, headers: headers || {}, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function errorJson(err) {
  if (err instanceof Error) {
    return { errorType: err.name || (err.constructor && err.constructor.name) || 'Error', errorMessage: err.message, trace: String(err.stack || '').split('\n') };
  }
  return { errorType: typeof err, errorMessage: typeof err === 'string' ? err : JSON.stringify(err), trace: [] };
}

class RuntimeError extends Error {
  constructor(name, message) { super(message); this.name = name; }
}

async function loadHandler() {
  const slash = handlerSpec.lastIndexOf('/');
  const dot = handlerSpec.indexOf('.', slash + 1);
  if (dot < 0) throw new RuntimeError('Runtime.MalformedHandlerName', "Bad handler");
  const moduleName = handlerSpec.substring(0, dot);
  const handlerPath = handlerSpec.substring(dot + 1).split('.');
  const base = path.resolve(taskRoot, moduleName);
  let mod;
  const candidates = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).filter((f) => fs.existsSync(f));
  if (candidates.length === 0) {
    throw new RuntimeError('Runtime.ImportModuleError', `Error: Cannot find module '${moduleName}'\nRequire stack:\n- /var/runtime/index.mjs`);
  }
  const file = candidates[0];
  try {
    if (file.endsWith('.mjs') || (file.endsWith('.js') && isModulePackage(path.dirname(file)))) {
      mod = await import(pathToFileURL(file).href);
    } else {
      mod = require(file);
    }
  } catch (e) {
    if (e instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', `${e.name}: ${e.message}`);
    throw new RuntimeError('Runtime.ImportModuleError', `${e.name || 'Error'}: ${e.message}`);
  }
  let fn = mod;
  for (const part of handlerPath) fn = fn == null ? undefined : fn[part];
  if (typeof fn !== 'function') {
    throw new RuntimeError('Runtime.HandlerNotFound', `${moduleName}.${handlerPath.join('.')} is undefined or not exported`);
  }
  return fn;
}

function isModulePackage(dir) {
  for (let d = dir; d.startsWith(taskRoot); d = path.dirname(d)) {
    const pkg = path.join(d, 'package.json');
    if (fs.existsSync(pkg)) {
      try { return JSON.parse(fs.readFileSync(pkg, 'utf8')).type === 'module'; } catch (e) { return false; }
    }
    if (d === path.dirname(d)) break;
  }
  return false;
}

function invokeHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    const callback = (err, data) => (err ? reject(err) : resolve(data));
    context.done = callback;
    context.succeed = (data) => resolve(data);
    context.fail = (err) => reject(err);
    try {
      const r = handler(event, context, callback);
      if (r && typeof r.then === 'function') r.then(resolve, reject);
      else if (handler.length < 3) resolve(r);
    } catch (e) {
      reject(e);
    }
  });
}

async function main() {
  const base = '/2018-06-01/runtime';
  let handler;
  try {
    handler = await loadHandler();
  } catch (e) {
    const err = errorJson(e);
    emit(`${new Date().toISOString()}\tundefined\tERROR\tUncaught Exception \t${JSON.stringify({ errorType: err.errorType, errorMessage: err.errorMessage, stack: err.trace })}`);
    await request('POST', `${base}/init/error`, JSON.stringify(err), { 'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': err.errorType });
    process.exit(1);
  }
  for (;;) {
    const next = await request('GET', `${base}/invocation/next`);
    const id = next.headers['lambda-runtime-aws-request-id'];
    const deadline = Number(next.headers['lambda-runtime-deadline-ms']);
    currentRequestId = id;
    marker(`START ${id}`);
    const context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      invokedFunctionArn: next.headers['lambda-runtime-invoked-function-arn'],
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      awsRequestId: id,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    const clientContext = next.headers['lambda-runtime-client-context'];
    if (clientContext) context.clientContext = JSON.parse(clientContext);
    const started = performance.now();
    let outcome;
    try {
      const event = JSON.parse(next.body.toString('utf8'));
      const result = await invokeHandler(handler, event, context);
      outcome = { ok: true, body: JSON.stringify(result === undefined ? null : result) };
    } catch (e) {
      const err = errorJson(e);
      console.error('Invoke Error \t' + JSON.stringify({ errorType: err.errorType, errorMessage: err.errorMessage, stack: err.trace }));
      outcome = { ok: false, body: JSON.stringify(err), type: err.errorType };
    }
    const duration = performance.now() - started;
    marker(`END ${id} ${duration.toFixed(2)}`);
    currentRequestId = undefined;
    if (outcome.ok) {
      await request('POST', `${base}/invocation/${id}/response`, outcome.body, { 'Content-Type': 'application/json' });
    } else {
      await request('POST', `${base}/invocation/${id}/error`, outcome.body, { 'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': outcome.type });
    }
  }
}

process.on('uncaughtException', (e) => {
  const err = errorJson(e);
  emit(`${new Date().toISOString()}\t${currentRequestId}\tERROR\tUncaught Exception \t${JSON.stringify({ errorType: err.errorType, errorMessage: err.errorMessage, stack: err.trace })}`);
  process.exit(129);
});
process.on('unhandledRejection', (reason) => {
  const err = errorJson(reason);
  const body = { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: `${err.errorType}: ${err.errorMessage}`, trace: err.trace };
  emit(`${new Date().toISOString()}\t${currentRequestId}\tERROR\tUnhandled Promise Rejection \t${JSON.stringify({ errorType: body.errorType, errorMessage: body.errorMessage, stack: body.trace })}`);
  const id = currentRequestId;
  if (!id) process.exit(128);
  // Lambda answers the invocation with the rejection, then the environment is torn down
  request('POST', `/2018-06-01/runtime/invocation/${id}/error`, JSON.stringify(body),
    { 'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': body.errorType })
    .finally(() => process.exit(128));
});

main();
