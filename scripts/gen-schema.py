#!/usr/bin/env python3
"""Generate src/api/schema.txt: the field tree of the kinds the playground serves, from the
Kubernetes v1.34.0 OpenAPI definitions as the PyPI package kubernetes-validate ships them
(`kubernetes-json-schema/v1.34.0-local-strict/_definitions.json`, Apache-2.0, generated from
the upstream OpenAPI spec).

Run by hand when the modelled version changes (the output is committed; tests never run this):
    pip download kubernetes-validate==1.37.0 --no-deps -d /tmp/kv
    python3 scripts/gen-schema.py /tmp/kv/kubernetes_validate-1.37.0-py3-none-any.whl \
        assets/field-docs.txt > src/api/schema.txt

The second argument, when given, receives the fields' descriptions from the same definitions
(the editor's hover docs, fetched only when first needed, so they are not in the first load):
one line per field, `Type.field<TAB>description`, with each newline of a description written as
the two characters `\n`; a type's own description is on a line `Type<TAB>description`.

Format, one type per line: `Name field:type field:type ...`, where a type is `s` string,
`i` integer (int32), `l` integer (int64), `n` number, `b` boolean, `q` string-or-number (Quantity, IntOrString), `o` any
object or value (no field checking), `[T` a list of T, `{T` a map of T, `@Name` another type.
"""
import json
import sys
import zipfile

ROOTS = {
    "apps/v1 StatefulSet": "io.k8s.api.apps.v1.StatefulSet",
    "apps/v1 Deployment": "io.k8s.api.apps.v1.Deployment",
    "apps/v1 ReplicaSet": "io.k8s.api.apps.v1.ReplicaSet",
    "apps/v1 DaemonSet": "io.k8s.api.apps.v1.DaemonSet",
    "apps/v1 ControllerRevision": "io.k8s.api.apps.v1.ControllerRevision",
    "v1 Pod": "io.k8s.api.core.v1.Pod",
    "v1 Service": "io.k8s.api.core.v1.Service",
    "v1 PersistentVolumeClaim": "io.k8s.api.core.v1.PersistentVolumeClaim",
    "v1 PersistentVolume": "io.k8s.api.core.v1.PersistentVolume",
    "v1 Namespace": "io.k8s.api.core.v1.Namespace",
    "v1 Node": "io.k8s.api.core.v1.Node",
    "v1 Endpoints": "io.k8s.api.core.v1.Endpoints",
    "storage.k8s.io/v1 StorageClass": "io.k8s.api.storage.v1.StorageClass",
    "policy/v1 PodDisruptionBudget": "io.k8s.api.policy.v1.PodDisruptionBudget",
}

def short(ref):
    return ref.rsplit("/", 1)[-1].rsplit(".", 1)[-1] if False else ref.rsplit("/", 1)[-1]

def main(wheel, docs_path=None):
    with zipfile.ZipFile(wheel) as z:
        data = json.loads(z.read("kubernetes_validate/kubernetes-json-schema/v1.34.0-local-strict/_definitions.json"))
    defs = data["$defs"]
    names = {}   # full name -> short unique name
    def name_of(full):
        if full not in names:
            base = full.rsplit(".", 1)[-1]
            n = base
            i = 2
            while n in names.values():
                n = f"{base}{i}"; i += 1
            names[full] = n
        return names[full]
    out = {}
    todo = list(ROOTS.values())
    def scalar(t, schema):
        if t == "integer" and schema.get("format") == "int64":
            return "l"
        return {"string": "s", "integer": "i", "number": "n", "boolean": "b"}.get(t, "o")
    def type_of(schema):
        if "$ref" in schema:
            full = schema["$ref"].rsplit("/", 1)[-1]
            target = defs[full]
            if "oneOf" in target:
                return "q"
            if "properties" not in target:
                t = target.get("type")
                t = [x for x in (t if isinstance(t, list) else [t]) if x != "null"]
                return scalar(t[0] if t else "", target)
            todo.append(full)
            return "@" + name_of(full)
        if "oneOf" in schema:
            return "q"
        t = schema.get("type")
        t = [x for x in (t if isinstance(t, list) else [t]) if x and x != "null"]
        t = t[0] if t else "object"
        if t == "array":
            return "[" + type_of(schema.get("items", {}))
        if t == "object":
            ap = schema.get("additionalProperties")
            if isinstance(ap, dict):
                return "{" + type_of(ap)
            if "properties" in schema:
                return "o"
            return "o"
        return scalar(t, schema)
    docs = {}
    def describe(fs):
        text = fs.get("description")
        if not text and "$ref" in fs:
            text = defs[fs["$ref"].rsplit("/", 1)[-1]].get("description")
        if not text and fs.get("type") == "array" and "$ref" in fs.get("items", {}):
            text = defs[fs["items"]["$ref"].rsplit("/", 1)[-1]].get("description")
        return (text or "").strip()
    done = set()
    while todo:
        full = todo.pop()
        if full in done:
            continue
        done.add(full)
        schema = defs[full]
        fields = []
        if schema.get("description"):
            docs[name_of(full)] = schema["description"].strip()
        for field, fs in sorted(schema.get("properties", {}).items()):
            d = describe(fs)
            if d:
                docs[f"{name_of(full)}.{field}"] = d
            if field == "status":
                fields.append("status:o")  # written by controllers; accepted, never checked
                continue
            fields.append(f"{field}:{type_of(fs)}")
        out[name_of(full)] = fields
    lines = ["# Generated by scripts/gen-schema.py from the Kubernetes v1.34.0 OpenAPI definitions; do not edit."]
    for key, full in ROOTS.items():
        lines.append(f"!{key} {name_of(full)}")
    for n in sorted(out):
        lines.append(" ".join([n] + out[n]))
    sys.stdout.write("\n".join(lines) + "\n")
    if docs_path:
        with open(docs_path, "w") as f:
            f.write("# Generated by scripts/gen-schema.py from the Kubernetes v1.34.0 OpenAPI definitions (Apache-2.0); do not edit.\n")
            for key in sorted(docs):
                text = docs[key].replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n")
                f.write(f"{key}\t{text}\n")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
