# livestack invoke --local: runs one handler once, the way Lambda's Python runtime calls it.
# argv: <handler file> <function name> <result file> <function name> <timeout seconds>; event on stdin.
import importlib.util
import json
import os
import sys
import threading
import time
import traceback
import uuid

file, export_name, result_file, function_name, timeout_seconds = sys.argv[1:6]
deadline = time.time() + float(timeout_seconds)


class Context:
    function_name = function_name
    function_version = "$LATEST"
    aws_request_id = str(uuid.uuid4())
    memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
    log_group_name = "/aws/lambda/" + function_name

    @staticmethod
    def get_remaining_time_in_millis():
        return max(0, int((deadline - time.time()) * 1000))


def write(obj):
    with open(result_file, "w") as f:
        json.dump(obj, f)


def on_timeout():
    write({"timeout": float(timeout_seconds)})
    os._exit(0)


try:
    event = json.loads(sys.stdin.read() or "{}")
    sys.path.insert(0, os.path.dirname(file))
    spec = importlib.util.spec_from_file_location("index", file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    handler = getattr(module, export_name, None)
    if handler is None:
        write({"error": {"errorMessage": "Handler '%s' missing on module 'index'" % export_name,
                         "errorType": "Runtime.HandlerNotFound", "stackTrace": []}})
        sys.exit(0)
    timer = threading.Timer(float(timeout_seconds), on_timeout)
    timer.daemon = True
    timer.start()
    result = handler(event, Context())
    timer.cancel()
    write({"result": result})
except Exception as e:  # the runtime reports any exception as the function's error
    write({"error": {"errorMessage": str(e), "errorType": type(e).__name__,
                     "stackTrace": traceback.format_tb(e.__traceback__)}})
