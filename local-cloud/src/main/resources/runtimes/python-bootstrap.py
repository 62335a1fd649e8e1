# livestack local-cloud: the Python side of the Lambda Runtime API, as the managed runtime behaves.
# Output protocol with the host: one log event per stdout line (newlines inside one event become \r),
# and marker lines starting with NUL that tell the host where an invocation starts and ends.
import importlib
import json
import logging
import os
import sys
import time
import traceback
import urllib.request

API = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
TASK_ROOT = os.environ["LAMBDA_TASK_ROOT"]
HANDLER = os.environ.get("_HANDLER", "")
_real_stdout = sys.stdout
_current = {"id": None}


def _write(text):
    _real_stdout.write(text)
    _real_stdout.flush()


def _marker(text):
    _write("\0LS " + text + "\n")


def _event(text):
    _write(text.replace("\n", "\r") + "\n")


class _LambdaLogHandler(logging.Handler):
    def emit(self, record):
        try:
            ts = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + ".%03dZ" % int(record.msecs)
            _event("[%s]\t%s\t%s\t%s" % (record.levelname, ts, _current["id"] or "", self.format(record)))
        except Exception:
            self.handleError(record)


def _post(path, body, error_type=None):
    headers = {"Content-Type": "application/json"}
    if error_type:
        headers["Lambda-Runtime-Function-Error-Type"] = error_type
    req = urllib.request.Request(API + path, data=body.encode("utf-8"), headers=headers, method="POST")
    urllib.request.urlopen(req).read()


class ClientContext:
    def __init__(self, data):
        self.client = data.get("client")
        self.custom = data.get("custom")
        self.env = data.get("env")


class LambdaContext:
    def __init__(self, request_id, deadline_ms, invoked_arn, client_context=None):
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = None
        self.client_context = ClientContext(json.loads(client_context)) if client_context else None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))


def _error(exc, request_id, skip_frames):
    tb = traceback.extract_tb(exc.__traceback__)[skip_frames:]
    return {
        "errorMessage": str(exc),
        "errorType": type(exc).__name__,
        "requestId": request_id,
        "stackTrace": traceback.format_list(tb),
    }


def _log_error(err):
    lines = ["[ERROR] %s: %s" % (err["errorType"], err["errorMessage"]), "Traceback (most recent call last):"]
    lines.extend(frame.rstrip("\n") for frame in err["stackTrace"])
    _event("\n".join(lines))


def _init_failure(error_type, message):
    err = {"errorMessage": message, "errorType": error_type, "requestId": "", "stackTrace": []}
    _event("[ERROR] %s: %s" % (error_type, message))
    _post("/init/error", json.dumps(err), error_type)
    sys.exit(1)


def _load():
    if "." not in HANDLER:
        _init_failure("Runtime.MalformedHandlerName", "Bad handler '%s': not enough values to unpack (expected 2, got 1)" % HANDLER)
    module_name, func_name = HANDLER.rsplit(".", 1)
    sys.path.insert(0, TASK_ROOT)
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except SyntaxError as e:
        _init_failure("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, e))
    except ImportError as e:
        _init_failure("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, e))
    except Exception as e:
        _init_failure(type(e).__name__, str(e))
    handler = getattr(module, func_name, None)
    if handler is None:
        _init_failure("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (func_name, module_name))
    return handler


def main():
    root = logging.getLogger()
    root.handlers = [_LambdaLogHandler()]
    handler = _load()
    while True:
        with urllib.request.urlopen(API + "/invocation/next") as res:
            body = res.read()
            request_id = res.headers["Lambda-Runtime-Aws-Request-Id"]
            deadline = int(res.headers["Lambda-Runtime-Deadline-Ms"])
            invoked_arn = res.headers["Lambda-Runtime-Invoked-Function-Arn"]
            client_context = res.headers.get("Lambda-Runtime-Client-Context")
        _current["id"] = request_id
        _marker("START " + request_id)
        context = LambdaContext(request_id, deadline, invoked_arn, client_context)
        started = time.perf_counter()
        error_type = None
        try:
            event = json.loads(body.decode("utf-8")) if body else {}
            result = handler(event, context)
            try:
                out = json.dumps(result)
            except (TypeError, ValueError) as e:
                error_type = "Runtime.MarshalError"
                err = {"errorMessage": "Unable to marshal response: %s" % e, "errorType": error_type,
                       "requestId": request_id, "stackTrace": []}
                _event("[ERROR] Runtime.MarshalError: %s" % err["errorMessage"])
                out = json.dumps(err)
        except Exception as e:
            err = _error(e, request_id, 1)
            _log_error(err)
            error_type = err["errorType"]
            out = json.dumps(err)
        duration = (time.perf_counter() - started) * 1000.0
        _marker("END %s %.2f" % (request_id, duration))
        _current["id"] = None
        if error_type is None:
            _post("/invocation/%s/response" % request_id, out)
        else:
            _post("/invocation/%s/error" % request_id, out, error_type)


if __name__ == "__main__":
    main()
