"""Drives local-cloud's DynamoDB with boto3: the low-level client and the resource API (Key/Attr, batch_writer, paginators).

Usage: python3 dynamodb_checks.py <endpoint-url>. Prints one line per check; exits non-zero on the first failure.
"""
import sys
from decimal import Decimal

import boto3
from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
client = session.client("dynamodb", endpoint_url=endpoint)
resource = session.resource("dynamodb", endpoint_url=endpoint)


def expect_error(code, fn, **kwargs):
    try:
        fn(**kwargs)
    except ClientError as e:
        got = e.response["Error"]["Code"]
        assert got == code, f"expected {code}, got {got}: {e}"
        return e.response
    raise AssertionError(f"expected {code}, got success")


# --- the resource API, as a Lambda handler would use it
table = resource.create_table(
    TableName="b3-orders",
    KeySchema=[{"AttributeName": "customer", "KeyType": "HASH"}, {"AttributeName": "order", "KeyType": "RANGE"}],
    AttributeDefinitions=[{"AttributeName": "customer", "AttributeType": "S"}, {"AttributeName": "order", "AttributeType": "N"},
                          {"AttributeName": "state", "AttributeType": "S"}],
    GlobalSecondaryIndexes=[{"IndexName": "byState", "KeySchema": [{"AttributeName": "state", "KeyType": "HASH"}],
                             "Projection": {"ProjectionType": "ALL"}}],
    BillingMode="PAY_PER_REQUEST")
table.wait_until_exists()
table.reload()
assert table.table_status == "ACTIVE", table.table_status

with table.batch_writer(overwrite_by_pkeys=["customer", "order"]) as batch:
    for i in range(60):
        batch.put_item(Item={"customer": "c%d" % (i % 3), "order": i, "state": "OPEN" if i % 2 else "DONE",
                             "price": Decimal("9.99") * i, "lines": [{"sku": "s%d" % i, "qty": 1}], "labels": {"new"}})
print("batch_writer ok")

got = table.get_item(Key={"customer": "c1", "order": 4})["Item"]
assert got["price"] == Decimal("39.96") and got["labels"] == {"new"} and got["lines"][0]["qty"] == 1, got

resp = table.query(KeyConditionExpression=Key("customer").eq("c0") & Key("order").between(10, 30), ScanIndexForward=False)
assert [int(i["order"]) for i in resp["Items"]] == [30, 27, 24, 21, 18, 15, 12], resp["Items"]
resp = table.query(KeyConditionExpression=Key("customer").eq("c2") & Key("order").gt(50),
                   FilterExpression=Attr("state").eq("OPEN") & Attr("lines[0].sku").begins_with("s5"))
assert [int(i["order"]) for i in resp["Items"]] == [53, 59] and resp["ScannedCount"] == 3, resp
resp = table.query(IndexName="byState", KeyConditionExpression=Key("state").eq("DONE"), Select="COUNT")
assert resp["Count"] == 30 and "Items" not in resp, resp
print("resource query ok")

resp = table.scan(FilterExpression=Attr("price").lt(Decimal("50")) & Attr("labels").contains("new") & Attr("gone").not_exists()
                  & Attr("order").is_in([1, 2, 3, 99]) & Attr("lines").size().eq(1))
assert sorted(int(i["order"]) for i in resp["Items"]) == [1, 2, 3], resp["Items"]
print("resource scan ok")

table.update_item(Key={"customer": "c1", "order": 4}, UpdateExpression="SET price = price + :d, #lines = list_append(#lines, :more) ADD labels :l",
                  ExpressionAttributeNames={"#lines": "lines"},
                  ConditionExpression=Attr("state").eq("DONE"),
                  ExpressionAttributeValues={":d": Decimal("0.04"), ":more": [{"sku": "extra"}], ":l": {"vip"}})
got = table.get_item(Key={"customer": "c1", "order": 4}, ProjectionExpression="price, #lines[1], labels",
                     ExpressionAttributeNames={"#lines": "lines"})["Item"]
assert got == {"price": Decimal("40"), "lines": [{"sku": "extra"}], "labels": {"new", "vip"}}, got
err = expect_error("ConditionalCheckFailedException", table.update_item, Key={"customer": "c1", "order": 4},
                   UpdateExpression="REMOVE price", ConditionExpression=Attr("state").eq("OPEN"),
                   ReturnValuesOnConditionCheckFailure="ALL_OLD")
assert err["Error"]["Message"] == "The conditional request failed", err
assert err["Item"]["price"] == {"N": "40"}, err.get("Item")
print("resource update ok")

# --- the low-level client
paginator = client.get_paginator("query")
pages = list(paginator.paginate(TableName="b3-orders", KeyConditionExpression="customer = :c",
                                ExpressionAttributeValues={":c": {"S": "c0"}}, PaginationConfig={"PageSize": 6}))
assert sum(p["Count"] for p in pages) == 20 and len(pages) >= 4, [p["Count"] for p in pages]
scanned = sum(p["Count"] for p in client.get_paginator("scan").paginate(TableName="b3-orders", PaginationConfig={"PageSize": 7}))
assert scanned == 60, scanned
print("paginators ok")

err = expect_error("TransactionCanceledException", client.transact_write_items, TransactItems=[
    {"Put": {"TableName": "b3-orders", "Item": {"customer": {"S": "t"}, "order": {"N": "1"}}}},
    {"ConditionCheck": {"TableName": "b3-orders", "Key": {"customer": {"S": "c0"}, "order": {"N": "0"}},
                        "ConditionExpression": "attribute_not_exists(customer)"}}])
assert [r["Code"] for r in err["CancellationReasons"]] == ["None", "ConditionalCheckFailed"], err
assert "Item" not in client.get_item(TableName="b3-orders", Key={"customer": {"S": "t"}, "order": {"N": "1"}})
print("transactions ok")

err = expect_error("ValidationException", client.put_item, TableName="b3-orders",
                   Item={"customer": {"S": "x"}, "order": {"N": "1e400"}})
assert err["Error"]["Message"] == "Number overflow. Attempting to store a number with magnitude larger than supported range", err
err = expect_error("ValidationException", client.query, TableName="b3-orders", KeyConditionExpression="customer = :c OR customer = :d",
                   ExpressionAttributeValues={":c": {"S": "a"}, ":d": {"S": "b"}})
assert err["Error"]["Message"] == "Invalid operator used in KeyConditionExpression: OR" or "OR" in err["Error"]["Message"], err
expect_error("ResourceNotFoundException", client.describe_table, TableName="missing-table")
print("errors ok")

table.delete()
table.wait_until_not_exists()
print("delete ok")
