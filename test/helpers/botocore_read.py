"""Read credentials texts the way the AWS CLI does (botocore's raw_config_parse), in one batch.

stdin: JSON list of texts. stdout: JSON list, each {"profiles": {...}} or {"error": "..."}.
"""
import json, os, sys, tempfile
from botocore.configloader import raw_config_parse

out = []
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "credentials")
    for text in json.load(sys.stdin):
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        try:
            out.append({"profiles": raw_config_parse(path)})
        except Exception as e:  # botocore raises ConfigParseError on what configparser refuses
            out.append({"error": type(e).__name__})
json.dump(out, sys.stdout)
