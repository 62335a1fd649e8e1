"""worker: consumes the orders queue. Checks each message against the shared schema (schemas/order.json, handed
over in ORDER_SCHEMA) and writes the order to the orders table (ORDERS_TABLE_NAME). Messages that fail are
reported as batch item failures, so SQS retries them and finally moves them to the dead-letter queue. Without
boto3 in the runtime (Lambda and local-cloud provide it; a bare python3 may not) it says what it would have written instead."""

import json
import os
import re
from decimal import Decimal

VERSION = "worker-v1"

_schema = None
_table = None


def handler(event, context):
    records = (event or {}).get("Records") or []
    failures = []
    stored = []
    for record in records:
        message_id = record.get("messageId", "?")
        try:
            order = json.loads(record.get("body") or "")
        except ValueError as e:
            print(f"worker: message {message_id} rejected: body is not JSON ({e})")
            failures.append({"itemIdentifier": message_id})
            continue
        errors = validate(load_schema(), order, "$", [])
        if errors:
            print(f"worker: message {message_id} rejected: {'; '.join(errors)}")
            failures.append({"itemIdentifier": message_id})
            continue
        if store(order):
            stored.append(order["orderId"])
        else:
            failures.append({"itemIdentifier": message_id})
    print(f"worker: batch of {len(records)}: {len(stored)} stored, {len(failures)} failed")
    return {"batchItemFailures": failures, "stored": stored, "version": VERSION}


def store(order):
    """Writes the order; False when the table cannot be reached, so SQS retries the message."""
    total = round(sum(i["quantity"] * i["price"] for i in order["items"]), 2)
    table_name = os.environ.get("ORDERS_TABLE_NAME")
    table = load_table(table_name)
    if table is None:
        why = "no boto3 in this runtime" if table_name else "ORDERS_TABLE_NAME is not set"
        print(f"worker: would store order {order['orderId']} (total {total:.2f}) in {table_name or '(no table)'} ({why})")
        return True
    item = json.loads(json.dumps(dict(order, total=total, status="stored")), parse_float=Decimal)
    try:
        table.put_item(Item=item)
    except Exception as e:  # any client or endpoint failure: the message goes back to the queue
        print(f"worker: could not store order {order['orderId']} in {table_name}: {e}; SQS will retry it")
        return False
    print(f"worker: stored order {order['orderId']} (total {total:.2f}) in {table_name}")
    return True


def load_table(table_name):
    global _table
    if _table is None and table_name:
        try:
            import boto3  # provided by Lambda's Python runtime, and by local-cloud's
        except ImportError:
            return None
        from botocore.config import Config

        # Fail fast rather than hold the batch: an unreachable table is a retry, not a hang.
        config = Config(connect_timeout=3, read_timeout=5, retries={"max_attempts": 2})
        _table = boto3.resource("dynamodb", config=config).Table(table_name)
    return _table


def load_schema():
    global _schema
    if _schema is None:
        text = os.environ.get("ORDER_SCHEMA")
        if text is None:
            # Run from the source tree (invoke --local, tests): the schema sits in the app's schemas/ folder.
            path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "schemas", "order.json")
            if not os.path.exists(path):
                raise RuntimeError("ORDER_SCHEMA is not set and schemas/order.json is not next to this function")
            with open(path, encoding="utf-8") as f:
                text = f.read()
        _schema = json.loads(text)
    return _schema


def validate(s, value, at, errors):
    """The subset of JSON Schema the order schema uses (same rules as ingest's validator)."""
    if "enum" in s and value not in s["enum"]:
        errors.append(f"{at} must be one of {', '.join(map(str, s['enum']))}")
    kind = s.get("type")
    if kind and not has_type(value, kind):
        errors.append(f"{at} must be {'an' if kind in ('integer', 'array', 'object') else 'a'} {kind}")
        return errors
    if isinstance(value, str):
        if "minLength" in s and len(value) < s["minLength"]:
            errors.append(f"{at} must have at least {s['minLength']} character(s)")
        if "maxLength" in s and len(value) > s["maxLength"]:
            errors.append(f"{at} must have at most {s['maxLength']} characters")
        if "pattern" in s and not re.search(s["pattern"], value):
            errors.append(f"{at} must match {s['pattern']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in s and value < s["minimum"]:
            errors.append(f"{at} must be >= {s['minimum']}")
        if "maximum" in s and value > s["maximum"]:
            errors.append(f"{at} must be <= {s['maximum']}")
    if isinstance(value, list):
        if "minItems" in s and len(value) < s["minItems"]:
            errors.append(f"{at} must have at least {s['minItems']} item(s)")
        if "maxItems" in s and len(value) > s["maxItems"]:
            errors.append(f"{at} must have at most {s['maxItems']} items")
        if "items" in s:
            for i, v in enumerate(value):
                validate(s["items"], v, f"{at}[{i}]", errors)
    elif isinstance(value, dict):
        for key in s.get("required", []):
            if key not in value:
                errors.append(f"{at}.{key} is required")
        properties = s.get("properties", {})
        for key, v in value.items():
            if key in properties:
                validate(properties[key], v, f"{at}.{key}", errors)
            elif s.get("additionalProperties") is False:
                errors.append(f"{at}.{key} is not allowed")
    return errors


def has_type(v, kind):
    if kind == "object":
        return isinstance(v, dict)
    if kind == "array":
        return isinstance(v, list)
    if kind == "integer":
        return (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer())
    if kind == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if kind == "string":
        return isinstance(v, str)
    if kind == "boolean":
        return isinstance(v, bool)
    if kind == "null":
        return v is None
    return True
