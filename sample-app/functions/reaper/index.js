'use strict';
// reaper: runs on a schedule and replays what the worker gave up on: messages in the orders dead-letter queue
// (ORDERS_DLQ_URL) go back to the orders queue (ORDERS_QUEUE_URL). A message replayed MAX_REPLAYS times stays in
// the dead-letter queue for a person to look at, so a poison message cannot loop forever. Without an AWS SDK in
// the runtime (Lambda and local-cloud provide one; a bare `node` run does not) it says what it would have done.

const VERSION = 'reaper-v1';
const MAX_REPLAYS = 3;
const BATCH = 10;

let sqs;

exports.handler = async (event) => {
  const trigger = event && event['detail-type'] ? `${event['detail-type']} at ${event.time}` : 'direct invoke';
  console.log(`reaper: woke up (${trigger})`);
  const dlqUrl = process.env.ORDERS_DLQ_URL;
  const queueUrl = process.env.ORDERS_QUEUE_URL;
  const sdk = loadSqs();
  if (!sdk || !dlqUrl || !queueUrl) {
    const why = !sdk ? 'no AWS SDK for JavaScript in this runtime' : 'ORDERS_DLQ_URL or ORDERS_QUEUE_URL is not set';
    console.log(`reaper: would replay up to ${BATCH} message(s) from ${dlqUrl || '(no dead-letter queue)'} to ${queueUrl || '(no queue)'} (${why})`);
    return { replayed: 0, parked: 0, dryRun: true, version: VERSION };
  }
  const client = new sdk.SQSClient({});
  const received = await client.send(new sdk.ReceiveMessageCommand({
    QueueUrl: dlqUrl, MaxNumberOfMessages: BATCH, WaitTimeSeconds: 0, MessageAttributeNames: ['All'],
  }));
  let replayed = 0;
  let parked = 0;
  for (const message of received.Messages || []) {
    const replays = Number((message.MessageAttributes && message.MessageAttributes.replays
      && message.MessageAttributes.replays.StringValue) || '0');
    if (replays >= MAX_REPLAYS) {
      parked++;
      console.log(`reaper: leaving message ${message.MessageId} in the dead-letter queue after ${replays} replays`);
      continue;
    }
    await client.send(new sdk.SendMessageCommand({
      QueueUrl: queueUrl, MessageBody: message.Body,
      MessageAttributes: { replays: { DataType: 'Number', StringValue: String(replays + 1) } },
    }));
    await client.send(new sdk.DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle }));
    replayed++;
    console.log(`reaper: replayed message ${message.MessageId} (replay ${replays + 1} of ${MAX_REPLAYS})`);
  }
  console.log(`reaper: done: ${replayed} replayed, ${parked} left in the dead-letter queue`);
  return { replayed, parked, dryRun: false, version: VERSION };
};

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
