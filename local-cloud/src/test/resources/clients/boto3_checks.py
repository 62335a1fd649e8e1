"""Drives local-cloud with boto3 (botocore's own signer, parsers and waiters).

Usage: python3 boto3_checks.py <endpoint-url>. Prints one line per check; exits non-zero on the first failure.
"""
import sys

import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")


def client(name):
    return session.client(name, endpoint_url=endpoint)


def expect_error(code, fn, **kwargs):
    try:
        fn(**kwargs)
    except ClientError as e:
        got = e.response["Error"]["Code"]
        assert got == code, f"expected {code}, got {got}: {e}"
        return e.response["Error"]["Message"]
    raise AssertionError(f"expected {code}, got success")


sts = client("sts")
assert sts.get_caller_identity()["Arn"] == "arn:aws:iam::000000000000:root"
print("sts ok")

ssm = client("ssm")
ssm.put_parameter(Name="/boto3/p", Value="v1", Type="String")
assert ssm.get_parameter(Name="/boto3/p")["Parameter"]["Value"] == "v1"
expect_error("ParameterNotFound", ssm.get_parameter, Name="/boto3/missing")
print("ssm ok")

s3 = client("s3")
s3.create_bucket(Bucket="boto3-bucket")
s3.put_object(Bucket="boto3-bucket", Key="dir/obj.txt", Body=b"from boto3")
assert s3.get_object(Bucket="boto3-bucket", Key="dir/obj.txt")["Body"].read() == b"from boto3"
listed = s3.list_objects_v2(Bucket="boto3-bucket", Prefix="dir/")
assert [o["Key"] for o in listed["Contents"]] == ["dir/obj.txt"]
expect_error("NoSuchKey", s3.get_object, Bucket="boto3-bucket", Key="nope")
print("s3 ok")

cfn = client("cloudformation")
template = """
Parameters:
  Name:
    Type: String
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Sub "${Name}-topic"
Outputs:
  Arn:
    Value: !Ref Topic
"""
summary = cfn.validate_template(TemplateBody=template)
assert summary["Parameters"][0]["ParameterKey"] == "Name", summary
cfn.create_stack(StackName="boto3-stack", TemplateBody=template, Parameters=[{"ParameterKey": "Name", "ParameterValue": "b3"}])
cfn.get_waiter("stack_create_complete").wait(StackName="boto3-stack", WaiterConfig={"Delay": 1, "MaxAttempts": 30})
stack = cfn.describe_stacks(StackName="boto3-stack")["Stacks"][0]
assert stack["Outputs"][0]["OutputValue"] == "arn:aws:sns:us-east-1:000000000000:b3-topic", stack
events = cfn.describe_stack_events(StackName="boto3-stack")["StackEvents"]
assert events[0]["ResourceStatus"] == "CREATE_COMPLETE" and events[0]["ResourceType"] == "AWS::CloudFormation::Stack"
message = expect_error("ValidationError", cfn.describe_stacks, StackName="boto3-none")
assert message == "Stack with id boto3-none does not exist", message
cfn.delete_stack(StackName="boto3-stack")
cfn.get_waiter("stack_delete_complete").wait(StackName="boto3-stack", WaiterConfig={"Delay": 1, "MaxAttempts": 30})
print("cloudformation ok")

# Services local-cloud does not serve answer in each protocol's own error shape, so boto3 raises a typed
# ClientError with the message (awsJson 1.0, awsQuery, restJson1).
for name, call, kwargs in (("swf", "list_domains", {"registrationStatus": "REGISTERED"}), ("sns", "list_topics", {}), ("apigateway", "get_rest_apis", {})):
    message = expect_error("OptInRequired", getattr(client(name), call), **kwargs)
    assert "local-cloud does not serve '%s'" % name in message and "cloudformation" in message, message
print("unserved services ok")

