//! `kubectl apply -f` (client-side apply: a three-way merge of the last applied configuration,
//! the manifest and the live object, `staging/src/k8s.io/kubectl/pkg/cmd/apply/`) and
//! `kubectl create -f`.

use crate::api::meta;
use crate::api::resources::Kind;
use crate::apiserver;
use crate::kubectl::args::Parsed;
use crate::kubectl::commands::{self, Ctx};
use crate::kubectl::manifest;
use crate::patch;
use crate::store::{ApiError, Key};
use crate::value::Value;

/// The annotation client-side apply keeps the applied manifest in.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// How the objects of one `-f` argument were read: the text and its name in messages.
fn sources(ctx: &Ctx, p: &Parsed, command: &str) -> Result<Vec<(String, String)>, String> {
    let files = p.all("filename");
    if files.is_empty() {
        return Err(format!(
            "error: must specify one of -f and -k\n\nSee 'kubectl {command} -h' for help and examples\n"
        ));
    }
    let mut out = Vec::new();
    for f in files {
        if f == "-" {
            match ctx.stdin {
                Some(text) => out.push((text.to_string(), "STDIN".to_string())),
                None => return Err("error: no objects passed to apply: standard input is empty (use kubectl apply -f - <<EOF … EOF, or the editor's Apply button)\n".into()),
            }
        } else {
            match ctx.files.read(f) {
                Ok(text) => out.push((text, f.to_string())),
                Err(e) => return Err(e + "\n"),
            }
        }
    }
    Ok(out)
}

pub fn apply(ctx: &mut Ctx, p: &Parsed) -> String {
    if p.bool("server-side") {
        return "error: the playground runs client-side apply only (the default); drop --server-side\n".into();
    }
    run(ctx, p, "apply")
}

pub fn create(ctx: &mut Ctx, p: &Parsed) -> String {
    if p.get("filename").is_none() && !p.positional.is_empty() {
        return format!("error: the playground creates objects from manifests only: put the {} in the editor and press Apply, or use kubectl create -f - <<EOF\n", p.positional[0]);
    }
    run(ctx, p, "create")
}

/// The API server's field validation a request asks for (`--validate`, kubectl's
/// `GetValidationDirective` in cmd/util/helpers.go): Strict refuses unknown fields, Warn stores
/// the object without them and says so, Ignore drops them silently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldValidation {
    Strict,
    Warn,
    Ignore,
}

fn field_validation(p: &Parsed) -> Result<FieldValidation, String> {
    let Some(flag) = p.get("validate") else {
        return Ok(FieldValidation::Strict);
    };
    match flag.to_ascii_lowercase().as_str() {
        "true" | "strict" => Ok(FieldValidation::Strict),
        "warn" => Ok(FieldValidation::Warn),
        "false" | "ignore" => Ok(FieldValidation::Ignore),
        _ => Err(format!(
            "error: invalid - validate option \"{flag}\"; must be one of: strict (or true), warn, ignore (or false)\n"
        )),
    }
}

fn run(ctx: &mut Ctx, p: &Parsed, command: &str) -> String {
    let validation = match field_validation(p) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let sources = match sources(ctx, p, command) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let mut out = String::new();
    let mut any = false;
    for (text, source) in sources {
        let (objects, problems) = manifest::read(&text, &source);
        for obj in objects {
            any = true;
            // kubectl decodes an object's metadata itself (its builder makes typed metadata):
            // a wrong type there fails on the client, before any request.
            if let Some(w) = crate::api::schema::wrong_metadata_types(&obj.value).into_iter().next() {
                out.push_str(&format!("error: unable to decode \"{source}\": {}\n", w.message));
                continue;
            }
            // fieldValidation=Warn: the server names each field it drops (kubectl prints the
            // warnings before the result).
            if validation == FieldValidation::Warn {
                for path in crate::api::schema::unknown_fields(&obj.value) {
                    out.push_str(&format!("Warning: unknown field \"{path}\"\n"));
                }
            }
            // The API server's warnings (pkg/api/persistentvolumeclaim/util.go
            // GetWarningsForPersistentVolumeClaim, and the PV's twin): kubectl prints them first.
            if matches!(obj.kind, Kind::PersistentVolumeClaim | Kind::PersistentVolume)
                && meta::annotation(&obj.value, crate::api::claims::BETA_CLASS_ANNOTATION).is_some()
            {
                out.push_str(&format!("Warning: {}\n", crate::api::claims::BETA_CLASS_WARNING));
            }
            let line = if command == "apply" {
                let value = namespaced(obj.kind, obj.value, p);
                apply_value_as(ctx, obj.kind, value, &source, validation)
            } else {
                create_one(ctx, obj.kind, obj.value, &source, validation)
            };
            out.push_str(&line);
        }
        for e in problems {
            out.push_str(&e);
            out.push('\n');
        }
    }
    if !any && out.is_empty() {
        out.push_str("error: no objects passed to apply\n");
    }
    // Controllers react at once, as they would on a real cluster.
    ctx.c.settle_instant();
    out
}

fn namespaced(kind: Kind, mut value: Value, p: &Parsed) -> Value {
    if kind.info().namespaced && value.str_at("metadata.namespace").is_empty() {
        value.set("metadata.namespace", commands::namespace(p));
    }
    value
}

/// `kubectl create`: the object as written; an existing name is an error.
pub fn create_one(ctx: &mut Ctx, kind: Kind, mut value: Value, source: &str, validation: FieldValidation) -> String {
    let name = meta::name(&value).to_string();
    if validation != FieldValidation::Strict {
        crate::api::schema::prune_unknown(&mut value);
    }
    match apiserver::create_from_kubectl(ctx.c, kind, value) {
        Ok(_) => format!("{} created\n", commands::ref_name(kind, &name)),
        Err(ApiError::AlreadyExists { kind, name }) => format!(
            "Error from server (AlreadyExists): error when creating \"{source}\": {} \"{name}\" already exists\n",
            kind.plural_qualified()
        ),
        Err(e @ ApiError::Invalid { .. }) => format!("{e}\n"),
        Err(e) => format!("{}\n", with_source(&e, "creating", source)),
    }
}

fn with_source(e: &ApiError, verb: &str, source: &str) -> String {
    let text = e.to_string();
    match text.strip_prefix("Error from server (") {
        Some(rest) => match rest.split_once("): ") {
            Some((reason, msg)) => {
                format!("Error from server ({reason}): error when {verb} \"{source}\": {msg}")
            }
            None => text,
        },
        None => text,
    }
}

/// Apply one object with strict field validation (what the editor's Apply button does).
pub fn apply_value(ctx: &mut Ctx, kind: Kind, value: Value, source: &str) -> String {
    apply_value_as(ctx, kind, value, source, FieldValidation::Strict)
}

/// `kubectl apply` of one object: create it with the last-applied annotation, or patch the
/// live object with the three-way merge and report `configured` or `unchanged`. Without strict
/// validation the server drops unknown fields from the object; the annotation, written by
/// kubectl, keeps the manifest as it was.
pub fn apply_value_as(
    ctx: &mut Ctx,
    kind: Kind,
    mut value: Value,
    source: &str,
    validation: FieldValidation,
) -> String {
    let prune = |v: &mut Value| {
        if validation != FieldValidation::Strict {
            crate::api::schema::prune_unknown(v);
        }
    };
    let name = meta::name(&value).to_string();
    if name.is_empty() {
        return format!("error: error when retrieving current configuration of:\nResource: \"{}\", GroupVersionKind: \"{}\"\nName: \"\", Namespace: \"{}\"\nfrom server for: \"{source}\": resource name may not be empty\n", kind.plural_qualified(), kind.info().name, value.str_at("metadata.namespace"));
    }
    if kind.info().namespaced && value.str_at("metadata.namespace").is_empty() {
        value.set("metadata.namespace", "default");
    }
    let applied = value.clone();
    let annotation = applied.to_json() + "\n";
    let key = Key::of(kind, &value);
    let reference = commands::ref_name(kind, &name);
    let Some(live) = ctx.c.store.get(&key).cloned() else {
        meta::set_annotation(&mut value, LAST_APPLIED, &annotation);
        prune(&mut value);
        return match apiserver::create_from_kubectl(ctx.c, kind, value) {
            Ok(_) => format!("{reference} created\n"),
            Err(e @ ApiError::Invalid { .. }) => format!("{e}\n"),
            Err(e) => format!("{}\n", with_source(&e, "creating", source)),
        };
    };
    let last = meta::annotation(&live, LAST_APPLIED).and_then(|text| {
        let (tree, errs) = crate::yaml::parse(text, crate::yaml::Limits::default());
        if errs.is_empty() {
            tree.to_value(0, crate::yaml::Limits::default()).ok()
        } else {
            None
        }
    });
    let diff = match patch::three_way_apply_patch(kind.info().name, last.as_ref(), &applied, &live) {
        Ok(d) => d,
        Err(e) => return format!("error: {e}\n"),
    };
    let unchanged_fields = diff.as_map().is_none_or(|m| m.is_empty());
    let mut merged = if unchanged_fields {
        live.clone()
    } else {
        match patch::strategic_merge_patch(kind.info().name, &live, &diff) {
            Ok(v) => v,
            Err(e) => return format!("error: {e}\n"),
        }
    };
    meta::set_annotation(&mut merged, LAST_APPLIED, &annotation);
    prune(&mut merged);
    match apiserver::update_from_kubectl(ctx.c, &key, merged) {
        // apply.go `applyOneObject`: "unchanged" only when the patch is empty, whatever the
        // server then stored.
        Ok(_) if !unchanged_fields => format!("{reference} configured\n"),
        Ok(_) => format!("{reference} unchanged\n"),
        Err(e @ ApiError::Invalid { .. }) => format!("{e}\n"),
        Err(e) => format!("{}\n", with_source(&e, "applying patch", source)),
    }
}
