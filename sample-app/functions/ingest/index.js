'use strict';
// ingest: the pipeline's front door. Checks an order against the shared schema (schemas/order.json, handed
// over in ORDER_SCHEMA) and puts it on the orders queue (ORDERS_QUEUE_URL). Without an AWS SDK in the runtime
// (Lambda and local-cloud provide one; a bare `node` run does not) it says what it would have sent instead of sending it.
const fs = require('fs');
const path = require('path');

const VERSION = 'ingest-v1';

let schema;
let sqs;

exports.handler = async (event) => {
  const order = parseOrder(event);
  const errors = order.errors || validate(loadSchema(), order.value, '$', []);
  const orderId = order.value && typeof order.value.orderId === 'string' ? order.value.orderId : null;
  if (errors.length > 0) {
    console.log(`ingest: rejected order ${orderId || '(no id)'}: ${errors.join('; ')}`);
    return { accepted: false, orderId, errors, version: VERSION };
  }
  const items = order.value.items;
  const total = Math.round(items.reduce((sum, i) => sum + i.quantity * i.price, 0) * 100) / 100;
  console.log(`ingest: accepted order ${orderId} from ${order.value.customer}: ${items.length} item(s), total ${total.toFixed(2)}`);

  const queueUrl = process.env.ORDERS_QUEUE_URL;
  const sdk = loadSqs();
  if (queueUrl && sdk) {
    const client = new sdk.SQSClient({});
    const sent = await client.send(new sdk.SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(order.value) }));
    console.log(`ingest: enqueued order ${orderId} on ${queueUrl} as message ${sent.MessageId}`);
  } else {
    const why = !sdk ? 'no AWS SDK for JavaScript in this runtime' : 'ORDERS_QUEUE_URL is not set';
    console.log(`ingest: would enqueue order ${orderId} on ${queueUrl || '(no queue)'} (${why})`);
  }
  return { accepted: true, orderId, total, version: VERSION };
};

// An order comes as the event itself, or as the JSON body of an HTTP-style event.
function parseOrder(event) {
  if (event && typeof event.body === 'string') {
    try {
      return { value: JSON.parse(event.body) };
    } catch (e) {
      return { value: null, errors: [`body is not JSON: ${e.message}`] };
    }
  }
  return { value: event };
}

function loadSchema() {
  if (!schema) {
    if (process.env.ORDER_SCHEMA) {
      schema = JSON.parse(process.env.ORDER_SCHEMA);
    } else {
      // Run from the source tree (invoke --local, tests): the schema sits in the app's schemas/ folder.
      const file = path.join(__dirname, '..', '..', 'schemas', 'order.json');
      if (!fs.existsSync(file)) {
        throw new Error('ORDER_SCHEMA is not set and schemas/order.json is not next to this function');
      }
      schema = JSON.parse(fs.readFileSync(file, 'utf8'));
    }
  }
  return schema;
}

function loadSqs() {
  if (sqs === undefined) {
    try {
      sqs = require('@aws-sdk/client-sqs');
    } catch (e) {
      sqs = null;
    }
  }
  return sqs;
}

// The subset of JSON Schema the order schema uses: type, enum, required, properties, additionalProperties,
// items, min/max length, items and value, pattern.
function validate(s, value, at, errors) {
  if (s.enum && !s.enum.some((v) => JSON.stringify(v) === JSON.stringify(value))) {
    errors.push(`${at} must be one of ${s.enum.join(', ')}`);
  }
  if (s.type && !hasType(value, s.type)) {
    errors.push(`${at} must be ${s.type === 'integer' || s.type === 'array' || s.type === 'object' ? 'an' : 'a'} ${s.type}`);
    return errors;
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (s.minLength !== undefined && length < s.minLength) errors.push(`${at} must have at least ${s.minLength} character(s)`);
    if (s.maxLength !== undefined && length > s.maxLength) errors.push(`${at} must have at most ${s.maxLength} characters`);
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(value)) errors.push(`${at} must match ${s.pattern}`);
  }
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) errors.push(`${at} must be >= ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) errors.push(`${at} must be <= ${s.maximum}`);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) errors.push(`${at} must have at least ${s.minItems} item(s)`);
    if (s.maxItems !== undefined && value.length > s.maxItems) errors.push(`${at} must have at most ${s.maxItems} items`);
    if (s.items) value.forEach((v, i) => validate(s.items, v, `${at}[${i}]`, errors));
  } else if (value !== null && typeof value === 'object') {
    for (const key of s.required || []) {
      if (!(key in value)) errors.push(`${at}.${key} is required`);
    }
    for (const [key, v] of Object.entries(value)) {
      if (s.properties && s.properties[key]) validate(s.properties[key], v, `${at}.${key}`, errors);
      else if (s.additionalProperties === false) errors.push(`${at}.${key} is not allowed`);
    }
  }
  return errors;
}

function hasType(v, type) {
  switch (type) {
    case 'object': return v !== null && typeof v === 'object' && !Array.isArray(v);
    case 'array': return Array.isArray(v);
    case 'integer': return Number.isInteger(v);
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'string': return typeof v === 'string';
    case 'boolean': return typeof v === 'boolean';
    case 'null': return v === null;
    default: return true;
  }
}
