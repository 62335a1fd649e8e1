"""Secrets Manager rotation function of local-cloud's Serverless Application Repository catalogue.

Written for local-cloud (not AWS's published code). It runs the four rotation steps Secrets Manager asks a rotation
function for, with the single-user or multi-user strategy the catalogue application chose:

  createSecret  stores a new AWSPENDING version with a fresh password (and, multi-user, the alternate user name)
  setSecret     would set that password on the database; local-cloud has no database engine to reach, so it fails
                saying so
  testSecret    would log in with the pending password; fails for the same reason
  finishSecret  moves the AWSCURRENT stage to the pending version
"""
import json
import os

import boto3

ENGINE = os.environ.get("DATABASE_ENGINE", "")
STRATEGY = os.environ.get("ROTATION_STRATEGY", "single")
EXCLUDE = os.environ.get("EXCLUDE_CHARACTERS", "/@\"'\\")


def lambda_handler(event, context):
    arn = event["SecretId"]
    token = event["ClientRequestToken"]
    step = event["Step"]
    client = boto3.client("secretsmanager", endpoint_url=os.environ.get("SECRETS_MANAGER_ENDPOINT") or None)
    metadata = client.describe_secret(SecretId=arn)
    if not metadata.get("RotationEnabled"):
        raise ValueError("Secret %s is not enabled for rotation" % arn)
    stages = metadata.get("VersionIdsToStages", {})
    if token not in stages:
        raise ValueError("Secret version %s has no stage for rotation of secret %s." % (token, arn))
    if "AWSCURRENT" in stages[token]:
        return
    if "AWSPENDING" not in stages[token]:
        raise ValueError("Secret version %s not set as AWSPENDING for rotation of secret %s." % (token, arn))
    steps = {"createSecret": create_secret, "setSecret": set_secret, "testSecret": test_secret,
             "finishSecret": finish_secret}
    if step not in steps:
        raise ValueError("Invalid step parameter %s for secret %s" % (step, arn))
    steps[step](client, arn, token)


def create_secret(client, arn, token):
    current = json.loads(client.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")["SecretString"])
    try:
        client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        return
    except client.exceptions.ResourceNotFoundException:
        pass
    pending = dict(current)
    if STRATEGY == "multi":
        user = current["username"]
        pending["username"] = user[:-6] if user.endswith("_clone") else user + "_clone"
    pending["password"] = client.get_random_password(ExcludeCharacters=EXCLUDE)["RandomPassword"]
    client.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=json.dumps(pending),
                            VersionStages=["AWSPENDING"])


def set_secret(client, arn, token):
    raise RuntimeError("setSecret: local-cloud runs no %s database to set the pending password of secret %s on; "
                       "rotate against a real database endpoint" % (ENGINE or "database", arn))


def test_secret(client, arn, token):
    raise RuntimeError("testSecret: local-cloud runs no %s database to log in to with the pending password of "
                       "secret %s" % (ENGINE or "database", arn))


def finish_secret(client, arn, token):
    metadata = client.describe_secret(SecretId=arn)
    current = None
    for version, stages in metadata["VersionIdsToStages"].items():
        if "AWSCURRENT" in stages:
            if version == token:
                return
            current = version
            break
    client.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token,
                                       RemoveFromVersionId=current)
