//! `kubectl get`, `kubectl describe` and `kubectl events`.

use crate::api::meta;
use crate::api::resources::Kind;
use crate::kubectl::args::Parsed;
use crate::kubectl::commands::{self, Ctx};
use crate::kubectl::{describe as describe_mod, printers, tabwriter};
use crate::value::{Map, Value};

/// How `-o` asked for output.
enum Output {
    Table { wide: bool },
    Name,
    Yaml,
    Json,
    JsonPath(String),
    GoTemplate(String),
}

fn output(p: &Parsed) -> Result<Output, String> {
    // get_flags.go: --template without -o means -o go-template.
    let template = p.get("template").map(str::to_string);
    let Some(o) = p.get("output") else {
        return Ok(match template {
            Some(t) => Output::GoTemplate(t),
            None => Output::Table { wide: false },
        });
    };
    // template_flags.go: the go-template formats; the template is the flag's value or --template.
    for format in ["go-template", "template"] {
        if o == format || o.starts_with(&format!("{format}=")) {
            let inline = o.strip_prefix(&format!("{format}=")).map(str::to_string);
            return match inline.or(template).filter(|t| !t.is_empty()) {
                Some(t) => Ok(Output::GoTemplate(t)),
                None => Err("error: template format specified but no template given\n".into()),
            };
        }
    }
    if o.starts_with("custom-columns") {
        return Err("error: the playground does not print custom-columns: use -o jsonpath='{range .items[*]}{.metadata.name}{\"\\n\"}{end}' or -o go-template='{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}' instead\n".into());
    }
    if o.starts_with("go-template-file=") || o.starts_with("templatefile=") {
        return Err("error: the playground has no file system to read a template file from: pass the template itself, -o go-template='{{…}}'\n".into());
    }
    if let Some(t) = o
        .strip_prefix("jsonpath=")
        .or_else(|| o.strip_prefix("jsonpath-as-json="))
    {
        return Ok(Output::JsonPath(t.to_string()));
    }
    Ok(match o {
        "wide" => Output::Table { wide: true },
        "name" => Output::Name,
        "yaml" => Output::Yaml,
        "json" => Output::Json,
        "" => Output::Table { wide: false },
        other => {
            return Err(format!(
                "error: unable to match a printer suitable for the output format \"{}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n",
                other.split('=').next().unwrap_or(other),
            ))
        }
    })
}

/// `--sort-by` (kubectl/pkg/cmd/get/sorter.go): the field as a relaxed JSONPath (`.a.b`, `a.b`
/// or `{.a.b}`), read from each object; objects without it first; values in natural order
/// (`sortorder.NaturalLess`: digit runs compare as numbers, so `web-2` < `web-10` and counts
/// sort numerically); the sort is stable. No object having the field is an error.
fn sort_by(found: &mut Vec<(Kind, Value)>, field: &str) -> Result<(), String> {
    let inner = field
        .strip_prefix('{')
        .and_then(|f| f.strip_suffix('}'))
        .unwrap_or(field);
    let path = format!("{{.{}}}", inner.trim_start_matches('.'));
    let key = |o: &Value| crate::jsonpath::render_with(&path, o, true).unwrap_or_default();
    // An object without the field has the empty text, which NaturalLess puts first: when the
    // last one has none, none has.
    crate::sort::by_cached_key(found, |(_, o)| Natural(key(o)));
    if found.last().is_some_and(|(_, o)| key(o).is_empty()) {
        return Err(format!(
            "error: couldn't find any field with path \"{path}\" in the list of objects\n"
        ));
    }
    Ok(())
}

/// A text ordered as `sortorder.NaturalLess` orders it.
#[derive(PartialEq, Eq)]
struct Natural(String);

impl Ord for Natural {
    fn cmp(&self, other: &Natural) -> std::cmp::Ordering {
        if natural_less(&self.0, &other.0) {
            std::cmp::Ordering::Less
        } else if natural_less(&other.0, &self.0) {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    }
}

impl PartialOrd for Natural {
    fn partial_cmp(&self, other: &Natural) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// `sortorder.NaturalLess` (github.com/fvbommel/sortorder, which kubectl sorts with): digits
/// before other bytes, digit runs compared as numbers (leading zeros ignored, then fewer zeros
/// first), other bytes compared as bytes.
fn natural_less(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (da, db) = (a[i].is_ascii_digit(), b[j].is_ascii_digit());
        if da != db {
            return da;
        }
        if !da {
            if a[i] != b[j] {
                return a[i] < b[j];
            }
            i += 1;
            j += 1;
            continue;
        }
        while i < a.len() && a[i] == b'0' {
            i += 1;
        }
        while j < b.len() && b[j] == b'0' {
            j += 1;
        }
        let (start_a, start_b) = (i, j);
        while i < a.len() && a[i].is_ascii_digit() {
            i += 1;
        }
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        let (run_a, run_b) = (&a[start_a..i], &b[start_b..j]);
        if run_a.len() != run_b.len() {
            return run_a.len() < run_b.len();
        }
        if run_a != run_b {
            return run_a < run_b;
        }
        if start_a != start_b {
            return start_a < start_b;
        }
    }
    a.len() < b.len()
}

/// A list object as kubectl wraps several results for -o yaml/json/jsonpath.
fn list_value(items: Vec<Value>) -> Value {
    let mut list = Map::new();
    list.insert("apiVersion", Value::Str("v1".into()));
    list.insert("items", Value::list(items));
    list.insert("kind", Value::Str("List".into()));
    let mut metadata = Map::new();
    metadata.insert("resourceVersion", Value::Str("".into()));
    list.insert("metadata", Value::from_map(metadata));
    Value::from_map(list)
}

pub fn get(ctx: &mut Ctx, p: &Parsed) -> String {
    if p.bool("watch") || p.bool("watch-only") {
        return match crate::kubectl::watch::Watch::start(ctx.c, p) {
            Ok((out, w)) => {
                ctx.started = Some(crate::kubectl::session::Started::Watch(w));
                out
            }
            Err(e) => e,
        };
    }
    if p.bool("output-watch-events") {
        return "error: --output-watch-events option can only be used with --watch or --watch-only\n".into();
    }
    if p.positional.is_empty() {
        return "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n".into();
    }
    let format = match output(p) {
        Ok(f) => f,
        Err(e) => return e,
    };
    let targets = match commands::targets(&p.positional) {
        Ok(t) => t,
        Err(e) => return e,
    };
    let selector = match commands::selector(p) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let ns = commands::namespace(p);
    let all_ns = p.bool("all-namespaces");
    let fields = match field_selector(p.get("field-selector")) {
        Ok(f) => f,
        Err(e) => return e,
    };
    let c = &*ctx.c;
    let mut out = String::new();
    let mut errors = String::new();
    let mut found: Vec<(Kind, Value)> = Vec::new();
    let multi_kind = targets.len() > 1;
    for (kind, names) in &targets {
        if *kind == Kind::Event {
            if !matches!(format, Output::Table { wide: false }) {
                return EVENTS_TABLE_ONLY.into();
            }
            let (table, err) = events_table(c, &ns, all_ns, &fields);
            out.push_str(&table);
            errors.push_str(&err);
            continue;
        }
        let scope = if all_ns { None } else { Some(ns.as_str()) };
        if names.is_empty() {
            for o in commands::select(c, *kind, scope, selector.as_ref()) {
                if fields.iter().all(|(path, want, eq)| (o.str_at(path) == want) == *eq) {
                    found.push((*kind, o.clone()));
                }
            }
        } else {
            for n in names {
                match c.get(*kind, &ns, n) {
                    Some(o) => found.push((*kind, o.clone())),
                    None => errors.push_str(&format!(
                        "Error from server (NotFound): {} \"{n}\" not found\n",
                        kind.plural_qualified()
                    )),
                }
            }
        }
    }
    if targets.iter().all(|(k, _)| *k == Kind::Event) {
        return out + &errors;
    }
    let endpoints_warning = targets.iter().any(|(k, _)| *k == Kind::Endpoints);
    if endpoints_warning {
        out.push_str("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n");
    }
    if found.is_empty() && errors.is_empty() {
        let cluster_scoped = targets.iter().all(|(k, _)| !k.info().namespaced);
        return out
            + if all_ns || cluster_scoped {
                "No resources found\n".to_string()
            } else {
                format!("No resources found in {ns} namespace.\n")
            }
            .as_str();
    }
    if let Some(field) = p.get("sort-by") {
        if let Err(e) = sort_by(&mut found, field) {
            return out + &e;
        }
    }
    match format {
        Output::Table { wide } => {
            let mut first = true;
            for (kind, _) in &targets {
                let objs: Vec<&Value> = found.iter().filter(|(k, _)| k == kind).map(|(_, v)| v).collect();
                if objs.is_empty() {
                    continue;
                }
                if !first {
                    out.push('\n');
                }
                first = false;
                let mut header: Vec<String> = printers::headers(*kind, wide).iter().map(|s| s.to_string()).collect();
                if all_ns && kind.info().namespaced {
                    header.insert(0, "NAMESPACE".into());
                }
                if p.bool("show-labels") {
                    header.push("LABELS".into());
                }
                let mut rows = if p.bool("no-headers") { vec![] } else { vec![header] };
                for o in objs {
                    let mut r = printers::row(c, *kind, o, wide);
                    if multi_kind {
                        r[0] = commands::ref_name(*kind, &r[0]);
                    }
                    if all_ns && kind.info().namespaced {
                        r.insert(0, meta::namespace(o).to_string());
                    }
                    if p.bool("show-labels") {
                        let labels: Vec<String> = meta::labels(o).iter().map(|(k, v)| format!("{k}={v}")).collect();
                        r.push(if labels.is_empty() {
                            "<none>".into()
                        } else {
                            labels.join(",")
                        });
                    }
                    rows.push(r);
                }
                out.push_str(&tabwriter::table(&rows));
            }
        }
        Output::Name => {
            for (kind, o) in &found {
                out.push_str(&commands::ref_name(*kind, meta::name(o)));
                out.push('\n');
            }
        }
        Output::Yaml | Output::Json | Output::JsonPath(_) | Output::GoTemplate(_) => {
            let single = found.len() == 1 && targets.iter().all(|(_, n)| n.len() == 1);
            let value = if single {
                found[0].1.clone()
            } else {
                list_value(found.iter().map(|(_, v)| v.clone()).collect())
            };
            match format {
                Output::Yaml => out.push_str(&value.to_yaml()),
                Output::Json => out.push_str(&value.to_json_pretty()),
                Output::GoTemplate(t) => out.push_str(&crate::gotemplate::render(&t, &value)),
                Output::JsonPath(t) => match crate::jsonpath::render(t.trim_matches('\''), &value) {
                    Ok(text) => out.push_str(&text),
                    Err(e) => {
                        out.push_str(&e);
                        out.push('\n');
                    }
                },
                _ => {}
            }
        }
    }
    out + &errors
}

/// `--field-selector a=b,c!=d` as (field path, value, equal?) triples.
fn field_selector(text: Option<&str>) -> Result<Vec<(String, String, bool)>, String> {
    let Some(text) = text else { return Ok(vec![]) };
    text.split(',')
        .filter(|t| !t.is_empty())
        .map(|term| {
            let (k, v, eq) = if let Some((k, v)) = term.split_once("!=") {
                (k, v, false)
            } else if let Some((k, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
                (k, v, true)
            } else {
                return Err(format!("error: invalid field selector: '{term}'\n"));
            };
            Ok((k.trim().to_string(), v.trim().to_string(), eq))
        })
        .collect()
}

/// The value of an event field as `--field-selector` names it.
fn event_field(e: &crate::store::Event, path: &str) -> String {
    match path {
        "involvedObject.kind" => e.involved_kind.info().name.to_string(),
        "involvedObject.name" => e.involved_name.clone(),
        "involvedObject.namespace" | "metadata.namespace" => e.namespace.clone(),
        "involvedObject.uid" => e.involved_uid.clone(),
        "reason" => e.reason.clone(),
        "type" => e.kind.to_string(),
        "source" | "source.component" => e.source.clone(),
        _ => String::new(),
    }
}

fn events_table(
    c: &crate::world::Cluster,
    ns: &str,
    all_ns: bool,
    fields: &[(String, String, bool)],
) -> (String, String) {
    let mut events: Vec<&crate::store::Event> = c
        .store
        .events(c.now)
        .filter(|e| all_ns || e.namespace == ns)
        .filter(|e| {
            fields
                .iter()
                .all(|(path, want, eq)| (&event_field(e, path) == want) == *eq)
        })
        .collect();
    if events.is_empty() {
        return (
            String::new(),
            if all_ns {
                "No resources found\n".into()
            } else {
                format!("No resources found in {ns} namespace.\n")
            },
        );
    }
    crate::sort::by_key(&mut events, |e| (e.last, e.seq));
    let mut rows = vec![printers::headers(Kind::Event, false)
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()];
    if all_ns {
        rows[0].insert(0, "NAMESPACE".into());
    }
    for e in events {
        let mut r = printers::event_row(e, c.now);
        if all_ns {
            r.insert(0, e.namespace.clone());
        }
        rows.push(r);
    }
    (tabwriter::table(&rows), String::new())
}

/// Events are kept as the recorder's log, not as API objects: only their tables are printed.
const EVENTS_TABLE_ONLY: &str = "error: the playground prints events only as the default table (-o yaml, json, name, wide and jsonpath are not simulated for events); kubectl describe shows an object's events too\n";

/// `kubectl events` (staging/src/k8s.io/kubectl/pkg/cmd/events/events.go and
/// event_printer.go): `[NAMESPACE]  LAST SEEN  TYPE  REASON  OBJECT  MESSAGE`, the object as
/// `Kind/name`, oldest first; `--types` matched without regard to case, `--for TYPE/NAME`.
pub fn events(ctx: &mut Ctx, p: &Parsed) -> String {
    let c = &*ctx.c;
    let ns = commands::namespace(p);
    let all_ns = p.bool("all-namespaces");
    if p.bool("watch") {
        return "error: the playground does not stream with --watch: run the command again, or watch the timeline, which updates as time passes (sim advance 10s moves time on)\n".into();
    }
    if p.get("output").is_some_and(|o| !o.is_empty()) {
        return EVENTS_TABLE_ONLY.into();
    }
    // decodeResourceTypeName: TYPE/NAME, one slash.
    let target = match p.get("for") {
        Some(f) if !f.contains('/') => return "error: --for must be in resource/name form\n".into(),
        Some(f) if f.matches('/').count() > 1 => {
            return "error: arguments in resource/name form may not have more than one slash\n".into()
        }
        Some(f) => {
            let (k, n) = f.split_once('/').unwrap_or((f, ""));
            match commands::resource(k) {
                Ok(kind) => Some((kind, n.to_string())),
                Err(e) => return e,
            }
        }
        None => None,
    };
    let types: Vec<String> = p
        .get("types")
        .map(|t| t.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    // Validate: each type is Normal or Warning, in any case.
    if types
        .iter()
        .any(|t| !t.eq_ignore_ascii_case("Normal") && !t.eq_ignore_ascii_case("Warning"))
    {
        return "error: valid --types are Normal or Warning\n".into();
    }
    let mut events: Vec<&crate::store::Event> = c
        .store
        .events(c.now)
        .filter(|e| all_ns || e.namespace == ns)
        .filter(|e| {
            target
                .as_ref()
                .is_none_or(|(k, n)| e.involved_kind == *k && &e.involved_name == n)
        })
        .filter(|e| types.is_empty() || types.iter().any(|t| t.eq_ignore_ascii_case(e.kind)))
        .collect();
    if events.is_empty() {
        return if all_ns {
            "No events found.\n".into()
        } else {
            format!("No events found in {ns} namespace.\n")
        };
    }
    crate::sort::by_key(&mut events, |e| (e.last, e.seq));
    let mut rows = Vec::new();
    if !p.bool("no-headers") {
        let mut header: Vec<String> = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
            .map(String::from)
            .into();
        if all_ns {
            header.insert(0, "NAMESPACE".into());
        }
        rows.push(header);
    }
    for e in events {
        let mut row = vec![
            printers::event_interval(e, c.now),
            e.kind.into(),
            e.reason.clone(),
            format!("{}/{}", e.involved_kind.info().name, e.involved_name),
            e.message.trim().to_string(),
        ];
        if all_ns {
            row.insert(0, e.namespace.clone());
        }
        rows.push(row);
    }
    tabwriter::table(&rows)
}

pub fn describe(ctx: &mut Ctx, p: &Parsed) -> String {
    if p.positional.is_empty() {
        return "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n".into();
    }
    let targets = match commands::targets(&p.positional) {
        Ok(t) => t,
        Err(e) => return e,
    };
    let selector = match commands::selector(p) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let ns = commands::namespace(p);
    let c = &*ctx.c;
    let mut blocks = Vec::new();
    let mut errors = String::new();
    for (kind, names) in targets {
        if names.is_empty() {
            for o in commands::select(c, kind, Some(&ns), selector.as_ref()) {
                blocks.push(describe_mod::describe(c, kind, o));
            }
        } else {
            for n in names {
                // kubectl describe also matches a name prefix when there is no exact match.
                match c.get(kind, &ns, &n) {
                    Some(o) => blocks.push(describe_mod::describe(c, kind, o)),
                    None => {
                        let prefixed: Vec<&Value> = c
                            .store
                            .list(kind, Some(&ns))
                            .into_iter()
                            .filter(|o| meta::name(o).starts_with(n.as_str()))
                            .collect();
                        if prefixed.is_empty() {
                            errors.push_str(&format!(
                                "Error from server (NotFound): {} \"{n}\" not found\n",
                                kind.plural_qualified()
                            ));
                        }
                        for o in prefixed {
                            blocks.push(describe_mod::describe(c, kind, o));
                        }
                    }
                }
            }
        }
    }
    if blocks.is_empty() && errors.is_empty() {
        return format!("No resources found in {ns} namespace.\n");
    }
    // cmd/describe/describe.go writes every object after the first as "\n\n%s"; each block
    // already ends with a newline.
    blocks.join("\n\n") + &errors
}

#[cfg(test)]
mod sort_tests {
    use super::natural_less;

    #[test]
    fn natural_order_as_sortorder_has_it() {
        assert!(natural_less("web-2", "web-10"));
        assert!(!natural_less("web-10", "web-2"));
        assert!(natural_less("a1", "a01")); // equal numbers: fewer zeros first
        assert!(natural_less("1", "a")); // digits before other bytes
        assert!(natural_less("web", "web-0")); // a prefix first
        assert!(!natural_less("same", "same"));
        // A missing field (empty text) sorts first, as sorter.go puts objects without it.
        assert!(natural_less("", "0"));
        assert!(!natural_less("0", ""));
        assert!(!natural_less("", ""));
        assert!(natural_less("2026-12-07T00:00:09Z", "2026-12-07T00:00:10Z"));
    }
}
