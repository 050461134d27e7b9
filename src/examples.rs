//! The kubernetes.io example manifests the StatefulSet pages apply by URL
//! (`kubectl apply -f https://k8s.io/examples/application/web/web.yaml`). The playground is
//! offline, so it ships copies under `assets/examples/` (the same objects: names, labels,
//! images, replicas, claims) and reads those; any other URL is refused, saying why. The page
//! fetches a copy when a command first names it (not part of the first load); native builds
//! (`stsim`) carry them in.

/// The example paths shipped, below `https://k8s.io/examples/`.
pub const PATHS: [&str; 10] = [
    "application/web/web.yaml",
    "application/web/web-parallel.yaml",
    "application/zookeeper/zookeeper.yaml",
    "application/mysql/mysql-configmap.yaml",
    "application/mysql/mysql-services.yaml",
    "application/mysql/mysql-statefulset.yaml",
    "application/mysql/mysql-deployment.yaml",
    "application/mysql/mysql-pv.yaml",
    "application/cassandra/cassandra-service.yaml",
    "application/cassandra/cassandra-statefulset.yaml",
];

/// The prefixes under which kubernetes.io serves its examples.
const PREFIXES: [&str; 5] = [
    "https://k8s.io/examples/",
    "http://k8s.io/examples/",
    "https://kubernetes.io/examples/",
    "http://kubernetes.io/examples/",
    "https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/",
];

/// Whether `-f` names a URL.
pub fn is_url(name: &str) -> bool {
    name.starts_with("http://") || name.starts_with("https://")
}

/// The shipped example a URL names, or why it cannot be read.
pub fn path_of(url: &str) -> Result<&'static str, String> {
    let wanted = PREFIXES.iter().find_map(|p| url.strip_prefix(p));
    match wanted.and_then(|w| PATHS.iter().find(|p| **p == w)) {
        Some(path) => Ok(path),
        None => Err(format!(
            "error: the playground is offline and cannot fetch \"{url}\": it ships the kubernetes.io examples the StatefulSet pages use (https://k8s.io/examples/{}, …); for anything else, paste the manifest into the editor and press Apply",
            PATHS[0]
        )),
    }
}

/// The URLs of shipped examples a command line names (for the page to fetch before it runs).
pub fn urls_in(line: &str) -> Vec<String> {
    line.split(|c: char| c.is_whitespace() || c == '=' || c == '\'' || c == '"')
        .filter(|w| is_url(w) && path_of(w).is_ok())
        .map(str::to_string)
        .collect()
}

/// The text of a shipped example, in native builds (the page fetches it instead).
#[cfg(not(target_arch = "wasm32"))]
pub fn bundled(path: &str) -> Option<&'static str> {
    macro_rules! examples {
        ($($p:literal),*) => {
            match path {
                $($p => Some(include_str!(concat!("../assets/examples/", $p))),)*
                _ => None,
            }
        };
    }
    examples!(
        "application/web/web.yaml",
        "application/web/web-parallel.yaml",
        "application/zookeeper/zookeeper.yaml",
        "application/mysql/mysql-configmap.yaml",
        "application/mysql/mysql-services.yaml",
        "application/mysql/mysql-statefulset.yaml",
        "application/mysql/mysql-deployment.yaml",
        "application/mysql/mysql-pv.yaml",
        "application/cassandra/cassandra-service.yaml",
        "application/cassandra/cassandra-statefulset.yaml"
    )
}

/// The page fetches the examples; none is carried in.
#[cfg(target_arch = "wasm32")]
pub fn bundled(_: &str) -> Option<&'static str> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_example_is_carried_in_and_parses() {
        for path in PATHS {
            let text = bundled(path).unwrap_or_else(|| panic!("{path} is bundled"));
            let (_, errors) = crate::yaml::parse(text, crate::yaml::Limits::default());
            assert!(errors.is_empty(), "{path}: {errors:?}");
        }
        assert_eq!(
            path_of("https://k8s.io/examples/application/web/web.yaml"),
            Ok("application/web/web.yaml")
        );
        assert!(path_of("https://example.com/web.yaml").unwrap_err().contains("offline"));
        assert_eq!(
            urls_in("kubectl apply -f https://k8s.io/examples/application/web/web.yaml"),
            ["https://k8s.io/examples/application/web/web.yaml"]
        );
    }
}
