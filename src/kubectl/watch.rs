//! `kubectl get --watch` (kubectl/pkg/cmd/get/get.go `watch`): the current objects as a table,
//! then one row per write to a matching object, as the API server's watch delivers them
//! (ADDED, MODIFIED, DELETED: every write is an event, so a pod shows `Pending` twice, created
//! and then scheduled). One tabwriter serves the whole watch and remembers its column widths
//! ([`tabwriter::Remembered`]); the header comes with the first row printed, so a watch started
//! on an empty list prints nothing until an object appears, and never "No resources found".
//! `--watch-only` skips the current objects; `--output-watch-events` adds the EVENT column.

use crate::api::meta;
use crate::api::resources::Kind;
use crate::api::selector::Selector;
use crate::kubectl::args::Parsed;
use crate::kubectl::commands;
use crate::kubectl::{printers, tabwriter};
use crate::store::ChangeType;
use crate::value::Value;
use crate::world::Cluster;

/// How a watch prints an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Table { wide: bool },
    Name,
    Yaml,
    Json,
}

/// A running watch.
#[derive(Debug, Clone)]
pub struct Watch {
    kind: Kind,
    /// None: every namespace (`-A`).
    namespace: Option<String>,
    selector: Option<Selector>,
    /// A watch of named objects (`get pod web-0 -w`).
    names: Vec<String>,
    format: Format,
    show_labels: bool,
    events: bool,
    no_headers: bool,
    table: tabwriter::Remembered,
    printed_header: bool,
    /// Objects printed so far (a YAML stream separates them with `---`).
    printed: u64,
    cursor: u64,
    /// The command line, as the page shows it above the rows (the console sets it).
    pub command: String,
}

impl Watch {
    /// Start a watch: what it prints at once, and the watch, or kubectl's error.
    pub fn start(c: &mut Cluster, p: &Parsed) -> Result<(String, Watch), String> {
        if p.bool("output-watch-events") && !(p.bool("watch") || p.bool("watch-only")) {
            return Err("error: --output-watch-events option can only be used with --watch or --watch-only\n".into());
        }
        let targets = commands::targets(&p.positional)?;
        let [(kind, names)] = targets.as_slice() else {
            return Err(if targets.is_empty() {
                "error: Required resource not specified.\n".into()
            } else {
                "error: watch is only supported on individual resources and resource collections - more than 1 resource was found\n".into()
            });
        };
        if *kind == Kind::Event {
            return Err("error: the playground does not watch events: run kubectl events again, or watch the event log under the timeline\n".into());
        }
        let format = match p.get("output").unwrap_or("") {
            "" => Format::Table { wide: false },
            "wide" => Format::Table { wide: true },
            "name" => Format::Name,
            "yaml" => Format::Yaml,
            "json" => Format::Json,
            other => {
                return Err(format!(
                    "error: the playground watches with -o wide, name, yaml or json, not \"{other}\"\n"
                ))
            }
        };
        let selector = commands::selector(p)?;
        let all = p.bool("all-namespaces");
        let cursor = c.store.watch(*kind, c.now);
        let mut w = Watch {
            kind: *kind,
            namespace: (!all).then(|| commands::namespace(p)),
            selector,
            names: names.clone(),
            format,
            show_labels: p.bool("show-labels"),
            events: p.bool("output-watch-events"),
            no_headers: p.bool("no-headers"),
            table: tabwriter::Remembered::default(),
            printed_header: false,
            printed: 0,
            cursor,
            command: String::new(),
        };
        let mut out = String::new();
        // The list first (a named object: that object), unless --watch-only.
        if !p.bool("watch-only") {
            let current: Vec<Value> = if w.names.is_empty() {
                commands::select(c, w.kind, w.namespace.as_deref(), w.selector.as_ref())
                    .into_iter()
                    .cloned()
                    .collect()
            } else {
                let ns = commands::namespace(p);
                let mut found = Vec::new();
                for n in &w.names {
                    match c.get(w.kind, &ns, n) {
                        Some(o) => found.push(o.clone()),
                        None => {
                            c.store.unwatch(w.kind);
                            return Err(format!(
                                "Error from server (NotFound): {} \"{n}\" not found\n",
                                w.kind.plural_qualified()
                            ));
                        }
                    }
                }
                found
            };
            let now = c.now;
            let rows: Vec<(ChangeType, Value)> = current.into_iter().map(|v| (ChangeType::Added, v)).collect();
            out.push_str(&w.print(&rows, now));
        }
        Ok((out, w))
    }

    /// What the watch prints for the writes since it last looked.
    pub fn poll(&mut self, c: &Cluster) -> String {
        let (changes, next) = c.store.changes_since(self.cursor);
        self.cursor = next;
        let mut out = String::new();
        let kind = self.kind;
        for ch in changes.iter().filter(|ch| ch.kind == kind) {
            if !self.matches(&ch.value) {
                continue;
            }
            let row = [(ch.change, ch.value.clone())];
            out.push_str(&self.print(&row, ch.at));
        }
        out
    }

    /// Stop following the store.
    pub fn stop(&self, c: &mut Cluster) {
        c.store.unwatch(self.kind);
    }

    fn matches(&self, obj: &Value) -> bool {
        self.namespace
            .as_deref()
            .is_none_or(|ns| !self.kind.info().namespaced || meta::namespace(obj) == ns)
            && self.selector.as_ref().is_none_or(|s| s.matches_object(obj))
            && (self.names.is_empty() || self.names.iter().any(|n| n == meta::name(obj)))
    }

    /// One flush: rows for these objects, the header first when none was printed yet.
    fn print(&mut self, objects: &[(ChangeType, Value)], now: u64) -> String {
        if objects.is_empty() {
            return String::new();
        }
        match self.format {
            Format::Name => objects
                .iter()
                .map(|(_, o)| format!("{}\n", commands::ref_name(self.kind, meta::name(o))))
                .collect(),
            Format::Yaml | Format::Json => {
                let mut out = String::new();
                for (_, o) in objects {
                    if self.format == Format::Yaml {
                        if self.printed > 0 {
                            out.push_str("---\n");
                        }
                        out.push_str(&o.to_yaml());
                    } else {
                        out.push_str(&o.to_json_pretty());
                    }
                    self.printed += 1;
                }
                out
            }
            Format::Table { wide } => {
                let namespaced_column = self.namespace.is_none() && self.kind.info().namespaced;
                let mut rows = Vec::new();
                if !self.printed_header && !self.no_headers {
                    let mut header: Vec<String> = printers::headers(self.kind, wide)
                        .iter()
                        .map(|s| s.to_string())
                        .collect();
                    if namespaced_column {
                        header.insert(0, "NAMESPACE".into());
                    }
                    if self.show_labels {
                        header.push("LABELS".into());
                    }
                    if self.events {
                        header.insert(0, "EVENT".into());
                    }
                    rows.push(header);
                }
                self.printed_header = true;
                for (change, o) in objects {
                    let mut r = printers::row_at(self.kind, o, wide, now);
                    if namespaced_column {
                        r.insert(0, meta::namespace(o).to_string());
                    }
                    if self.show_labels {
                        let labels = printers::label_pairs(&meta::labels(o));
                        r.push(if labels.is_empty() { "<none>".into() } else { labels });
                    }
                    if self.events {
                        // formatEventType: padded to 8 characters.
                        let name = match change {
                            ChangeType::Added => "ADDED   ",
                            ChangeType::Modified => "MODIFIED",
                            ChangeType::Deleted => "DELETED ",
                        };
                        r.insert(0, name.into());
                    }
                    rows.push(r);
                }
                self.table.table(&rows)
            }
        }
    }
}
