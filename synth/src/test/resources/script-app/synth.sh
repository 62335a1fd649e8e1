# A stand-in for a CDK app: writes a two-stack cloud assembly to $CDK_OUTDIR, as an app does.
set -e
if [ -f hang.flag ]; then
  # an app that never finishes (waits for a server, a prompt…); its child keeps the output pipe open
  sleep 600
fi
if [ -f fail.flag ]; then
  echo "Error: the app broke on purpose" >&2
  exit 3
fi
mkdir -p "$CDK_OUTDIR"
cat > "$CDK_OUTDIR/manifest.json" <<JSON
{
  "version": "54.0.0",
  "artifacts": {
    "Api": {
      "type": "aws:cloudformation:stack",
      "properties": {"templateFile": "Api.template.json", "stackName": "script-api"},
      "dependencies": ["Base", "Api.assets"]
    },
    "Api.assets": {"type": "cdk:asset-manifest", "properties": {"file": "Api.assets.json"}},
    "Base": {
      "type": "aws:cloudformation:stack",
      "properties": {"templateFile": "Base.template.json"}
    },
    "Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}}
  }
}
JSON
cat > "$CDK_OUTDIR/Base.template.json" <<JSON
{"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}
JSON
cat > "$CDK_OUTDIR/Api.template.json" <<JSON
{"Metadata": {"Context": $CDK_CONTEXT_JSON, "Region": "${CDK_DEFAULT_REGION:-none}", "Validation": "${CDK_VALIDATION:-unset}"},
 "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}
JSON
if [ -f invalid.flag ]; then
  # what aws-cdk-lib writes when the CLI's context asks it not to fail on validation findings itself
  cat > "$CDK_OUTDIR/validation-report.json" <<JSON
{"version": "54.0.0", "pluginReports": [
  {"pluginName": "cloudformation-validate", "conclusion": "success", "violations": []},
  {"pluginName": "my-rules", "conclusion": "failure", "violations": [
    {"ruleName": "no-public-buckets", "description": "buckets must not be public", "severity": "error",
     "violatingConstructs": [{"constructPath": "Api/Bucket/Resource"}]}]}]}
JSON
fi
echo "synthesized"
