// livestack invoke --local: runs one handler once, the way Lambda's Node.js runtime calls it.
// argv: <handler file> <export name> <result file> <function name> <timeout seconds>; event on stdin.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';

const [file, exportName, resultFile, functionName, timeoutSeconds] = process.argv.slice(2);
const started = Date.now();
const deadline = started + Number(timeoutSeconds) * 1000;
const context = {
  functionName,
  functionVersion: '$LATEST',
  awsRequestId: randomUUID(),
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE || '128',
  logGroupName: `/aws/lambda/${functionName}`,
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  callbackWaitsForEmptyEventLoop: true,
};

function fail(err) {
  const e = err instanceof Error ? err : new Error(String(err));
  const body = { errorType: e.name || 'Error', errorMessage: e.message, trace: String(e.stack || '').split('\n') };
  writeFileSync(resultFile, JSON.stringify({ error: body }));
  process.exit(0);
}

try {
  const event = JSON.parse(readFileSync(0, 'utf8') || '{}');
  const mod = await import(pathToFileURL(file).href);
  const handler = mod[exportName] ?? (mod.default && mod.default[exportName]);
  if (typeof handler !== 'function') {
    const e = new Error(`index.${exportName} is undefined or not exported`);
    e.name = 'Runtime.HandlerNotFound';
    fail(e);
  }
  const timer = setTimeout(() => {
    writeFileSync(resultFile, JSON.stringify({ timeout: Number(timeoutSeconds) }));
    process.exit(0);
  }, Number(timeoutSeconds) * 1000);
  const result = await (handler.length >= 3
    ? new Promise((resolve, reject) => handler(event, context, (e, r) => (e ? reject(e) : resolve(r))))
    : handler(event, context));
  clearTimeout(timer);
  writeFileSync(resultFile, JSON.stringify({ result: result === undefined ? null : result }));
  process.exit(0);
} catch (err) {
  fail(err);
}
