#!/usr/bin/env python3
"""Validates an OpenAPI document written by `tim openapi` with tools independent of tim-rest:
openapi-spec-validator checks the document against the OpenAPI 3.1 specification, and the
`jsonschema` package checks every embedded example (request and reply) against its schema,
with `$ref`s resolved into the document's components.

Usage: validate-openapi.py FILE
Exit status: 0 when everything validates, 1 when something does not, 3 when the packages are
missing (install them with `python3 -m pip install openapi-spec-validator jsonschema`).
"""

import json
import sys

try:
    import jsonschema
    from openapi_spec_validator import validate as validate_spec
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError as missing:
    print(f"missing Python package: {missing.name}", file=sys.stderr)
    sys.exit(3)

DOC_URI = "urn:tim-openapi"


def main(path):
    with open(path, encoding="utf-8") as f:
        document = json.load(f)

    validate_spec(document)
    print(f"openapi-spec-validator: {path} is a valid OpenAPI {document['openapi']} document")

    # The whole document is one resource, so `#/components/schemas/...` resolves inside it.
    registry = Registry().with_resource(DOC_URI, Resource(contents=document, specification=DRAFT202012))
    format_checker = jsonschema.Draft202012Validator.FORMAT_CHECKER

    def check(pointer, value):
        validator = jsonschema.Draft202012Validator(
            {"$ref": f"{DOC_URI}#{pointer}"}, registry=registry, format_checker=format_checker
        )
        return sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))

    failures = 0
    counted = 0
    for name, schema in document["components"]["schemas"].items():
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as e:
            failures += 1
            print(f"component {name} is not a valid JSON Schema: {e.message[:300]}")
    for route, item in document["paths"].items():
        operation = item["post"]
        sides = [("request", operation["requestBody"]["content"]["application/json"], ["post", "requestBody", "content", "application/json"])]
        for status, reply in operation["responses"].items():
            sides.append((f"reply {status}", reply["content"]["application/json"], ["post", "responses", status, "content", "application/json"]))
        for side, media, at in sides:
            for name, example in media.get("examples", {}).items():
                counted += 1
                pointer = "/paths/" + escape(route) + "/" + "/".join(escape(p) for p in at) + "/schema"
                errors = check(pointer, example["value"])
                for e in errors:
                    failures += 1
                    where = "/".join(str(p) for p in e.absolute_path) or "(root)"
                    print(f"{route} {side} example `{name}`: at {where}: {e.message[:300]}")
    print(f"jsonschema {jsonschema_version()}: {counted} examples checked, {failures} problems")
    return 1 if failures else 0


def escape(segment):
    return segment.replace("~", "~0").replace("/", "~1")


def jsonschema_version():
    from importlib.metadata import version
    return version("jsonschema")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
